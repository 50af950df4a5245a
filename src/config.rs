//! `zerodown.toml`: the same keys as the options, in kebab-case or camelCase.
//! Parsed into `model::LintOptions` and checked with the engine's own option
//! checks (`lint::validate_options`), so it sits above `lint`.
//!
//! ```toml
//! pg-version = 15
//! large-tables = ["users", "events"]
//! release = "16.4"
//!
//! [rules]
//! drop-index-non-concurrently = "off"
//! prefer-text-field = "warning"
//!
//! [[phases]]
//! glob = "db/deploy_later/**"
//! phase = "post-deploy"
//! ```

use crate::error::{Error, ErrorCode, Result};
use crate::model::LintOptions;

/// The config file's name.
pub const CONFIG_FILE: &str = "zerodown.toml";

/// Parses a config file's text; errors name the file, line and key.
pub fn parse_config(text: &str, path: &str) -> Result<LintOptions> {
    let options: LintOptions = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
        let msg = e.message().trim().to_string();
        let at = line.map_or(String::new(), |l| format!(":{l}"));
        Error::new(ErrorCode::BadOptions, format!("{path}{at}: {msg}"))
    })?;
    crate::lint::validate_options(&options)
        .map_err(|e| Error::new(e.code, format!("{path}: {}", e.message)))?;
    Ok(options)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_spellings() {
        let o = parse_config(
            "pg-version = 12\nlargeTables = [\"users\"]\n[rules]\nadd-index-non-concurrently = \"off\"\n",
            "z.toml",
        )
        .unwrap();
        assert_eq!(o.pg_version.major(), 12);
        assert_eq!(o.large_tables, vec!["users"]);
    }

    #[test]
    fn errors_name_line_and_key() {
        let e = parse_config("pg-version = 12\nbogus = 1\n", "z.toml").unwrap_err();
        assert!(e.message.starts_with("z.toml:2:"), "{}", e.message);
        assert!(e.message.contains("bogus"), "{}", e.message);
        let e = parse_config("[rules]\nno-such-rule = \"off\"\n", "z.toml").unwrap_err();
        assert_eq!(e.code, ErrorCode::UnknownRule);
        let e = parse_config("[rules]\ndrop-column = \"loud\"\n", "z.toml").unwrap_err();
        assert!(e.message.starts_with("z.toml:2:"), "{}", e.message);
    }
}
