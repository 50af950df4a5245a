//! Streamed reports: a folder's JSON and text written while it lints are
//! byte for byte the whole report's, on the rule fixtures, every tool
//! example folder and the shared corpus (GitLab's Ruby migrations too).
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use zerodown::lint::{lint_folder, FolderRun};
use zerodown::model::LintOptions;
use zerodown::report::markdown::{render_markdown_within, MarkdownStream};
use zerodown::report::{
    render_ci, render_json, render_text, text_findings, text_head, text_renderer, text_tail,
    CiFormat, CiStream, StreamedReport,
};
use zerodown::tools::Direction;

/// The migrations and tool files under `root` (paths relative to it).
fn folder(root: &Path) -> Vec<(String, String)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else if let Ok(text) = std::fs::read_to_string(&p) {
                let rel = p
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                let name = rel.rsplit('/').next().unwrap().to_string();
                let ours = rel.ends_with(".sql")
                    || rel.ends_with(".rb")
                    || [
                        "metadata.toml",
                        "_journal.json",
                        "sqitch.plan",
                        "flyway.conf",
                    ]
                    .contains(&name.as_str())
                    || rel.ends_with(".sql.conf")
                    || text.contains("databaseChangeLog");
                if ours {
                    out.push((rel, text));
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out.sort();
    out
}

fn folders() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = vec![root.join("tests/fixtures")];
    for base in [
        root.join("docs/examples/tools"),
        root.join("../shared/corpus"),
    ] {
        if let Ok(entries) = std::fs::read_dir(&base) {
            let mut dirs: Vec<PathBuf> = entries
                .map(|e| e.unwrap().path())
                .filter(|p| p.is_dir())
                .collect();
            dirs.sort();
            out.extend(dirs);
        }
    }
    out
}

#[test]
fn streamed_json_and_text_are_the_whole_reports() {
    let mut checked = 0;
    for dir in folders() {
        let files = folder(&dir);
        if files.is_empty() {
            continue;
        }
        for (options, direction) in [
            (LintOptions::default(), Direction::Up),
            (
                LintOptions {
                    plans: false,
                    ..LintOptions::default()
                },
                Direction::Up,
            ),
            (LintOptions::default(), Direction::Down),
        ] {
            let what = format!("{} {direction:?} plans={}", dir.display(), options.plans);
            let (whole, whole_problems) =
                lint_folder(&files, None, direction, &options, None).unwrap();
            // JSON, written while the run goes.
            let run = FolderRun::new(&files, None, direction, &options).unwrap();
            let mut problems = Vec::new();
            let streamed = StreamedReport::new(|sink| {
                let (report, p) = run.lint(None, sink);
                problems = p;
                report
            });
            let json = serde_json::to_string_pretty(&streamed).unwrap();
            assert!(
                json == render_json(&whole),
                "{what}: the streamed JSON differs"
            );
            let rest = streamed.into_rest().unwrap();
            assert_eq!(problems, whole_problems, "{what}");
            assert!(rest.findings.is_empty());
            assert_eq!(rest.summary, whole.summary, "{what}");
            // Text, written file by file.
            let source = |path: &str| {
                files
                    .iter()
                    .find(|(p, _)| p == path)
                    .map(|(_, t)| t.clone())
            };
            let run = FolderRun::new(&files, None, direction, &options).unwrap();
            let renderer = text_renderer(false);
            let mut text = text_head(run.tool.as_ref(), run.left);
            let mut handed = 0;
            let (rest, _) = run.lint(None, &mut |file| {
                // One file at a time, never empty, in the report's order.
                assert!(!file.is_empty() && file.iter().all(|f| f.path == file[0].path));
                handed += file.len();
                text.push_str(&text_findings(
                    &file,
                    source(&file[0].path).as_deref(),
                    &renderer,
                ));
            });
            text.push_str(&text_tail(&rest));
            assert_eq!(handed, whole.findings.len(), "{what}");
            assert!(
                text == render_text(&whole, &source, false),
                "{what}: the streamed text differs"
            );
            // The CI formats written file by file.
            for format in [
                CiFormat::Sarif,
                CiFormat::Gitlab,
                CiFormat::Github,
                CiFormat::Junit,
            ] {
                let run = FolderRun::new(&files, None, direction, &options).unwrap();
                let (mut stream, mut out) = CiStream::new(format, &[]).unwrap();
                let (rest, _) = run.lint(None, &mut |file| out.push_str(&stream.findings(&file)));
                stream.finish_into(&rest.files, &mut |piece| out.push_str(piece));
                assert!(
                    out == render_ci(&whole, format),
                    "{what}: streamed {format:?} differs"
                );
            }
            // The Markdown note, at sizes where it holds the plans, only the
            // tables, or only some rows.
            for max in [1_500, 8_000, 60_000, 10_000_000] {
                let run = FolderRun::new(&files, None, direction, &options).unwrap();
                let mut note = MarkdownStream::new(max);
                let (rest, _) = run.lint(None, &mut |file| note.findings(&file));
                let text = note.finish(&rest);
                assert!(
                    text == render_markdown_within(&whole, max),
                    "{what}: streamed Markdown within {max} differs"
                );
                // What the stream drops could not have been shown.
                let mut all = MarkdownStream::keeping_everything(max);
                all.findings(&whole.findings);
                assert!(
                    all.finish(&whole) == text,
                    "{what}: dropping changed the note within {max}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 15, "only {checked} folder runs");
}

#[test]
fn the_reordering_engine_gives_the_sorted_report() {
    // A plain folder through the run that hands findings out file by file,
    // against the engine that collects every finding and sorts them once.
    for dir in folders() {
        let files: Vec<(String, String)> = folder(&dir)
            .into_iter()
            .filter(|(p, _)| p.ends_with(".sql") || p.ends_with(".rb"))
            .collect();
        if files.is_empty() {
            continue;
        }
        let options = LintOptions::default();
        let (folder_report, _) = lint_folder(
            &files,
            Some(zerodown::tools::Tool::Plain),
            Direction::Up,
            &options,
            None,
        )
        .unwrap();
        let sources: Vec<zerodown::SourceFile> = files
            .iter()
            .map(|(path, sql)| zerodown::SourceFile {
                path: path.clone(),
                sql: sql.clone(),
                transaction: None,
            })
            .collect();
        let sorted = zerodown::lint_files(&sources, &options).unwrap();
        assert!(folder_report == sorted, "{}", dir.display());
    }
}
