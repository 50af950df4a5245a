//! Plan generation time per change kind: `cargo bench --bench plan`.
//! Prints microseconds per plan (median of several rounds).

use std::hint::black_box;
use std::time::Instant;

use zerodown::model::Change;
use zerodown::plan::{plan, Calendar, Framework, PlanOptions};

fn changes() -> Vec<Change> {
    let s = |x: &str| x.to_string();
    vec![
        Change::DropColumn {
            table: "users".into(),
            column: s("updated_at"),
        },
        Change::RenameColumn {
            table: "users".into(),
            column: s("username"),
            new_name: s("handle"),
            column_type: None,
            has_default: false,
        },
        Change::ChangeColumnType {
            table: "users".into(),
            column: s("settings"),
            new_type: s("jsonb"),
            using: Some(s("settings::jsonb")),
            column_type: Some(s("text")),
        },
        Change::ChangeColumnDefault {
            table: "ci_builds".into(),
            column: s("partition_id"),
            default: Some(s("101")),
        },
        Change::SetNotNull {
            table: "users".into(),
            column: s("email"),
        },
        Change::AddCheckConstraint {
            table: "users".into(),
            name: None,
            expression: s("char_length(name) <= 255"),
        },
        Change::AddForeignKey {
            table: "issues".into(),
            columns: vec![s("project_id")],
            ref_table: "projects".into(),
            ref_columns: vec![s("id")],
            name: None,
            on_delete: None,
        },
        Change::AddUniqueConstraint {
            table: "users".into(),
            columns: vec![s("email")],
            name: None,
            primary_key: false,
        },
        Change::AddIndex {
            table: "users".into(),
            columns: vec![s("email")],
            name: None,
            unique: false,
            method: None,
            predicate: None,
        },
        Change::DropIndex {
            name: "index_users_on_email".into(),
            table: None,
        },
        Change::DropTable {
            table: "legacy_events".into(),
        },
        Change::RenameTable {
            table: "users".into(),
            new_name: s("accounts"),
        },
        Change::BigintPrimaryKey {
            table: "merge_request_metrics".into(),
            column: s("id"),
        },
        Change::Backfill {
            table: "users".into(),
            set: s("score = 0"),
            predicate: Some(s("score IS NULL")),
            batch_size: None,
        },
        Change::DataFormatChange {
            table: "users".into(),
            column: s("settings"),
            new_column: s("settings_json"),
            new_type: s("jsonb"),
            transform: s("settings::jsonb"),
        },
    ]
}

fn main() {
    let options = PlanOptions {
        release: Some("16.4".into()),
        rollover: Some(11),
        framework: Framework::Rails,
        calendar: Calendar::parse("monthly:3-thu:2023-09").ok(),
        ..PlanOptions::default()
    };
    let iterations = 2_000u32;
    println!("{:<24} {:>10} {:>10}", "kind", "µs/plan", "steps");
    let mut total = 0.0;
    for c in changes() {
        let steps = plan(&c, &options).map(|p| p.steps().count()).unwrap_or(0);
        let mut rounds = Vec::new();
        for _ in 0..7 {
            let start = Instant::now();
            for _ in 0..iterations {
                black_box(plan(black_box(&c), black_box(&options)).ok());
            }
            rounds.push(start.elapsed().as_secs_f64() * 1e6 / f64::from(iterations));
        }
        rounds.sort_by(f64::total_cmp);
        let median = rounds[rounds.len() / 2];
        total += median;
        println!("{:<24} {:>10.2} {:>10}", c.kind(), median, steps);
    }
    println!("{:<24} {:>10.2}", "mean", total / 15.0);
}
