//! `docs/rules/` must match what the rules' metadata generates.
//! Regenerate with `ZERODOWN_UPDATE_DOCS=1 cargo test --test docs`.

use std::fs;
use std::path::Path;

use zerodown::rules::docs::{generated_docs, UPDATE_COMMAND};

#[test]
fn rule_docs_are_up_to_date() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules");
    let update = std::env::var_os("ZERODOWN_UPDATE_DOCS").is_some_and(|v| v == "1");
    let expected = generated_docs(&zerodown::lint::fix_example);
    if update {
        fs::create_dir_all(&dir).expect("create docs/rules");
        for e in fs::read_dir(&dir).expect("read docs/rules") {
            let path = e.expect("entry").path();
            if path.extension().is_some_and(|x| x == "md") {
                fs::remove_file(path).expect("remove stale page");
            }
        }
        for (name, text) in &expected {
            fs::write(dir.join(name), text).expect("write page");
        }
    }
    let mut problems = Vec::new();
    for (name, text) in &expected {
        match fs::read_to_string(dir.join(name)) {
            Ok(actual) if actual == *text => {}
            Ok(_) => problems.push(format!(
                "docs/rules/{name} differs from the rule's metadata"
            )),
            Err(_) => problems.push(format!("docs/rules/{name} is missing")),
        }
    }
    for e in fs::read_dir(&dir).expect("docs/rules exists") {
        let name = e.expect("entry").file_name().to_string_lossy().into_owned();
        if !expected.iter().any(|(n, _)| *n == name) {
            problems.push(format!("docs/rules/{name} belongs to no rule"));
        }
    }
    assert!(
        problems.is_empty(),
        "{}\nrun `{UPDATE_COMMAND}` to regenerate",
        problems.join("\n")
    );
}

#[test]
fn index_lists_every_rule_and_the_update_command() {
    let index = zerodown::rules::docs::render_index();
    for r in zerodown::rules::RULES {
        assert!(index.contains(&format!("[{id}]({id}.md)", id = r.meta().id)));
    }
    assert!(index.contains(UPDATE_COMMAND));
}
