//! Template placeholders in migration files: `{{ index .Options "Namespace" }}`
//! (Go templates, as supabase auth writes its schema name) and `$%Name%$`.
//! Given values (`template-vars`, `--define NAME=VALUE`), they are filled in
//! before the file is read, and positions found in the filled text are
//! mapped back to the file's own; without a value, the file is one finding
//! naming the placeholder, not a parse error per statement.

use std::collections::BTreeMap;
use std::ops::Range;

/// One placeholder: where it is, and the variable it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder {
    /// Its bytes in the file, delimiters included.
    pub span: Range<usize>,
    /// The variable: the last double-quoted string inside (`"Namespace"`),
    /// else the last `.Name` field, else the inside trimmed.
    pub name: String,
}

/// The placeholders of `text`, in order. `{{ ... }}` counts when its inside
/// holds a letter and no brace (so PostgreSQL's array literals such as
/// `'{{1,2},{3,4}}'` do not); `$%Name%$` when `Name` is a word.
pub fn placeholders(text: &str) -> Vec<Placeholder> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("{{").map(|i| i + from) {
        let Some(end) = text[i + 2..].find("}}").map(|e| e + i + 2) else {
            break;
        };
        let inside = &text[i + 2..end];
        if inside.bytes().any(|b| b.is_ascii_alphabetic())
            && !inside.contains(['{', '}', '\n', ';'])
        {
            out.push(Placeholder {
                span: i..end + 2,
                name: name_of(inside),
            });
            from = end + 2;
        } else {
            from = i + 2;
        }
    }
    let mut from = 0;
    while let Some(i) = text[from..].find("$%").map(|i| i + from) {
        let Some(end) = text[i + 2..].find("%$").map(|e| e + i + 2) else {
            break;
        };
        let inside = &text[i + 2..end];
        if !inside.is_empty()
            && inside
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
        {
            out.push(Placeholder {
                span: i..end + 2,
                name: inside.rsplit('.').next().unwrap_or(inside).to_string(),
            });
            from = end + 2;
        } else {
            from = i + 2;
        }
    }
    out.sort_by_key(|p| p.span.start);
    out
}

fn name_of(inside: &str) -> String {
    let inside = inside.trim().trim_matches('-').trim();
    let quoted: Vec<&str> = inside.split('"').collect();
    if quoted.len() >= 3 {
        return quoted[quoted.len() - 2].to_string();
    }
    if let Some(field) = inside
        .split_whitespace()
        .rev()
        .find(|w| w.starts_with('.') && w.len() > 1)
    {
        return field.rsplit('.').next().unwrap_or(field).to_string();
    }
    inside.to_string()
}

/// A text with its placeholders filled in, and how to map its offsets back.
#[derive(Debug, Clone)]
pub struct Filled {
    /// The text the engine reads.
    pub text: String,
    /// (span in the file, span in the filled text) of each placeholder.
    edits: Vec<(Range<usize>, Range<usize>)>,
}

impl Filled {
    /// The file's offset of an offset in the filled text: inside a filled
    /// value, the placeholder's start (or end, for an offset at the value's
    /// end); elsewhere, shifted by the lengths before it.
    pub fn original(&self, offset: usize) -> usize {
        let mut shift: isize = 0;
        for (orig, new) in &self.edits {
            if offset < new.start {
                break;
            }
            if offset < new.end || (offset == new.end && new.is_empty()) {
                return orig.start;
            }
            if offset == new.end {
                return orig.end;
            }
            shift = orig.end as isize - new.end as isize;
        }
        (offset as isize + shift).max(0) as usize
    }
}

/// Fills the placeholders of `text` from `vars`: `Ok(None)` when it has
/// none, `Ok(Some(filled))` when each has a value, `Err(missing)` with the
/// placeholders that have none.
pub fn fill(
    text: &str,
    vars: &BTreeMap<String, String>,
) -> Result<Option<Filled>, Vec<Placeholder>> {
    let found = placeholders(text);
    if found.is_empty() {
        return Ok(None);
    }
    let missing: Vec<Placeholder> = found
        .iter()
        .filter(|p| !vars.contains_key(&p.name))
        .cloned()
        .collect();
    if !missing.is_empty() {
        return Err(missing);
    }
    let mut out = String::with_capacity(text.len());
    let mut edits = Vec::with_capacity(found.len());
    let mut at = 0;
    for p in &found {
        out.push_str(&text[at..p.span.start]);
        let value = &vars[&p.name];
        let start = out.len();
        out.push_str(value);
        edits.push((p.span.clone(), start..out.len()));
        at = p.span.end;
    }
    out.push_str(&text[at..]);
    Ok(Some(Filled { text: out, edits }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_go_templates_and_dollar_percent_not_arrays() {
        let text = "CREATE TABLE {{ index .Options \"Namespace\" }}.users (a int[] DEFAULT '{{1,2},{3,4}}');\nSET search_path = {{.Schema}}, $%app.Schema%$;";
        let names: Vec<String> = placeholders(text).into_iter().map(|p| p.name).collect();
        assert_eq!(names, ["Namespace", "Schema", "Schema"]);
        assert!(placeholders("SELECT '{{1,2},{3,4}}';").is_empty());
        assert!(placeholders("SELECT $$ a %$ b $$;").is_empty());
    }

    #[test]
    fn fills_and_maps_offsets_back() {
        let text = "ALTER TABLE {{ .Ns }}.users ADD COLUMN x int;";
        let vars = BTreeMap::from([("Ns".to_string(), "auth".to_string())]);
        let f = fill(text, &vars).unwrap().unwrap();
        assert_eq!(f.text, "ALTER TABLE auth.users ADD COLUMN x int;");
        // "users" is at 17 in the filled text, 22 in the file.
        assert_eq!(&f.text[17..22], "users");
        assert_eq!(f.original(17), 22);
        assert_eq!(&text[22..27], "users");
        // Inside the value: the placeholder's start; before it: unchanged.
        assert_eq!(f.original(13), 12);
        assert_eq!(f.original(3), 3);
        assert_eq!(f.original(16), 21);
        let missing = fill(text, &BTreeMap::new()).unwrap_err();
        assert_eq!(missing[0].name, "Ns");
        assert_eq!(missing[0].span, 12..21);
        assert!(fill("SELECT 1;", &BTreeMap::new()).unwrap().is_none());
    }
}
