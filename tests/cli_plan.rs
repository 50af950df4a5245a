//! `zerodown plan` from the command line: the issue's examples, formats,
//! and exit status 2 with a clear message on bad input.

mod common;
use common::zerodown_cli as zerodown;

#[test]
fn the_issue_examples_plan() {
    for args in [
        vec![
            "plan",
            "rename-column",
            "users.username",
            "handle",
            "--release",
            "9.0",
        ],
        vec![
            "plan",
            "drop-column",
            "users.updated_at",
            "--release",
            "12.5",
        ],
        vec![
            "plan",
            "change-column-type",
            "users.settings",
            "jsonb",
            "--using",
            "settings::jsonb",
            "--release",
            "16.4",
        ],
        vec![
            "plan",
            "add-foreign-key",
            "issues.project_id",
            "projects.id",
            "--release",
            "16.4",
        ],
        vec![
            "plan",
            "bigint-primary-key",
            "merge_request_metrics.id",
            "--release",
            "16.4",
        ],
    ] {
        let (code, out, err) = zerodown(&args);
        assert_eq!(code, 0, "{args:?}: {err}");
        assert!(
            out.contains("Release 16.4")
                || out.contains("Release 9.0")
                || out.contains("Release 12.5"),
            "{out}"
        );
    }
    let (_, out, _) = zerodown(&[
        "plan",
        "drop-column",
        "users.updated_at",
        "--release",
        "12.5",
    ]);
    assert!(
        out.contains("Release 12.6\n") && out.contains("Release 12.7\n"),
        "{out}"
    );
}

#[test]
fn json_is_the_plan() {
    let (code, out, _) = zerodown(&["plan", "set-not-null", "users.email", "--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["change"]["kind"], "set-not-null");
    assert_eq!(v["releases"][0]["version"], "M");
}

#[test]
fn sql_format_writes_files_per_release_and_phase() {
    let dir = std::env::temp_dir().join(format!("zerodown-cli-plan-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let d = dir.to_str().unwrap();
    let (code, _, err) = zerodown(&[
        "plan",
        "drop-column",
        "users.updated_at",
        "--release",
        "12.5",
        "--format",
        "sql",
        "--out",
        d,
    ]);
    assert_eq!(code, 0, "{err}");
    // Step 1 (12.5, regular) lets the column be NULL before the code stops writing it.
    let f = std::fs::read_to_string(dir.join("12.5/regular/01_allow_null_users_updated_at.sql"))
        .unwrap();
    assert!(
        f.starts_with("-- zerodown: change=drop-column-users-updated_at step=1 phase=regular\n")
    );
    let f = std::fs::read_to_string(dir.join("12.6/post-deploy/02_remove_users_updated_at.sql"))
        .unwrap();
    assert!(f.starts_with(
        "-- zerodown: change=drop-column-users-updated_at step=2 phase=post-deploy\n"
    ));
    assert!(dir.join("12.5/CODE.md").is_file() && dir.join("12.7/CODE.md").is_file());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_input_exits_2_with_a_clear_message() {
    for (args, says) in [
        (
            vec!["plan", "drop-colum", "users.x"],
            "is not a change kind",
        ),
        (
            vec!["plan", "drop-column", "users.x", "--release", "12"],
            "`12` is not a release version",
        ),
        (vec!["plan", "drop-column", "users"], "TABLE.COLUMN"),
        (
            vec!["plan", "rename-column", "users.a", "b", "--has-default"],
            "has a default",
        ),
        (
            vec!["plan", "drop-column", "users.x", "--format", "sql"],
            "--out DIR",
        ),
        (
            vec![
                "plan",
                "drop-column",
                "users.x",
                "--calendar",
                "monthly:9-thu:2023-01",
            ],
            "9-thu",
        ),
        (
            vec!["plan", "drop-column", "users.x", "--framework", "django"],
            "django",
        ),
    ] {
        let (code, _, err) = zerodown(&args);
        assert_eq!(code, 2, "{args:?}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
}

#[test]
fn layout_release_dir_writes_a_folder_schedule_reads() {
    let dir = std::env::temp_dir().join(format!("zerodown-layout-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let d = dir.to_string_lossy().into_owned();
    let (code, _, err) = zerodown(&[
        "plan",
        "drop-column",
        "users.updated_at",
        "--release",
        "12.5",
        "--format",
        "sql",
        "--layout",
        "release-dir",
        &d,
    ]);
    assert_eq!(code, 0, "{err}");
    // The drop is a post-deployment migration in 12.6: due at 12.6, not at
    // 12.5, where only the regular step that lets the column be NULL is due.
    let (code, out, err) = zerodown(&["schedule", &d, "--version", "12.5", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let due = v["due"].as_array().expect("due");
    assert_eq!(due.len(), 1, "{out}");
    assert_eq!(due[0]["phase"], "regular", "{out}");
    let (_, out, _) = zerodown(&["schedule", &d, "--version", "12.6", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let due = v["due"].as_array().expect("due");
    assert_eq!(due.len(), 2, "{out}");
    assert_eq!(due[1]["phase"], "post-deploy", "{out}");
    let (code, _, err) = zerodown(&[
        "plan",
        "drop-column",
        "users.x",
        "--format",
        "sql",
        "--layout",
        "flat",
        &d,
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("--layout release-dir"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
