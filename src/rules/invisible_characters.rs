use std::ops::Range;

use super::{Diagnostic, Rule, RuleContext};
use crate::model::Op;

declare_rule! {
    /// ## What it does
    /// Reports characters that do not show, or that change how the text
    /// around them shows: bidirectional controls (U+202A to U+202E, U+2066
    /// to U+2069), zero-width characters (U+200B to U+200F, U+2060 to
    /// U+2064, U+FEFF after the start), line and paragraph separators, and
    /// control characters other than tab and line breaks.
    ///
    /// ## Why it causes downtime
    /// A reviewer approves what the screen shows, and PostgreSQL runs what
    /// the file holds. A right-to-left override in a comment can make
    /// `-- note` followed by a hidden `DROP TABLE` look like one harmless
    /// comment (the "Trojan Source" trick). A zero-width space in a name
    /// makes a second, different table or column that looks like the first.
    ///
    /// ## Example
    /// The comment holds a zero-width space (U+200B) after `note`:
    /// ```sql invalid
    /// SELECT 1; -- note​
    /// ```
    ///
    /// ## Safe alternative
    /// Remove the character. Where a string must hold one, write it as an
    /// escape, which everyone can see:
    /// ```sql valid
    /// SELECT E'\u200B'; -- note
    /// ```
    pub struct InvisibleCharacters {
        id: "invisible-characters",
        severity: Warning,
        summary: "Invisible or text-reordering characters in the source",
        scope: Engine,
    }
}

impl Rule for InvisibleCharacters {
    rule_meta!();

    /// The engine scans the text itself; there is no operation to check.
    fn check(&self, _op: &Op, _cx: &RuleContext<'_>, _out: &mut Vec<Diagnostic>) {}
}

/// Whether `c` is a character this rule reports.
fn invisible(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{61c}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

/// Every reported character of `text`, with its byte range. A byte order
/// mark at the very start is not reported; `\f` and `\r` are whitespace.
pub fn invisible_characters(text: &str) -> impl Iterator<Item = (Range<usize>, char)> + '_ {
    text.char_indices()
        .filter(|&(i, c)| invisible(c) && !(i == 0 && c == '\u{feff}') && c != '\u{c}')
        .map(|(i, c)| (i..i + c.len_utf8(), c))
}

/// The finding for one such character.
pub fn invisible_character_diagnostic(span: Range<usize>, c: char) -> Diagnostic {
    let bidi = matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{61c}' | '\u{200e}' | '\u{200f}');
    Diagnostic::new(
        span,
        format!(
            "the source holds U+{:04X}, {}: what runs is not what a reviewer sees",
            u32::from(c),
            if bidi {
                "a bidirectional control that reorders the text shown after it"
            } else {
                "a character that does not show"
            }
        ),
        "remove it; where a string must hold it, write it as an escape (E'\\uXXXX')",
    )
}
