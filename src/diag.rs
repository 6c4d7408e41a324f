//! Diagnostics: what went wrong in a rule pack, where, and how to fix it.
//!
//! A [`Diagnostic`] is a value (a stable code, a severity, the file, the byte span, line:col, the offending source
//! line, a message and a hint). The loader and the compiler collect *all* diagnostics of a pack before giving up,
//! and [`render`] prints them the way rustc and yara-x do:
//!
//! ```text
//! error[R003]: invalid regex: unclosed group
//!   --> rules/cto.toml:14:5
//!    |
//! 14 |     patterns = ['own(s the backlog']
//!    |     ^ here
//!    = hint: regexes use Rust `regex` syntax; escape literal parentheses as `\(`
//! ```
//!
//! This module also owns byte-offset → line:col conversion ([`line_col`]), used both for rule files and for
//! rendering evidence spans in postings. Columns count Unicode scalar values, starting at 1.

use std::fmt;

/// A byte range `start..end` into some text (a rule file or a posting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from a `Range<usize>`.
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }
}

impl From<std::ops::Range<usize>> for Span {
    fn from(r: std::ops::Range<usize>) -> Span {
        Span::new(r.start, r.end)
    }
}

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The pack cannot be used.
    Error,
    /// The pack works, but something is probably not what the author meant.
    Warning,
}

/// One problem found in a rule pack.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Diagnostic {
    /// Stable code, e.g. `R003`. Codes are listed in [`codes`].
    pub code: &'static str,
    /// Error or warning.
    pub severity: Severity,
    /// The file, as the user named it (e.g. `rules/cto.toml`).
    pub file: String,
    /// Byte span in the file, when the problem has a place.
    pub span: Option<Span>,
    /// 1-based line of `span.start` (0 when there is no span).
    pub line: usize,
    /// 1-based column (in characters) of `span.start` (0 when there is no span).
    pub col: usize,
    /// The source line holding `span.start`, without its line break.
    #[serde(skip)]
    pub source_line: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

/// The stable diagnostic codes.
pub mod codes {
    /// The file is not valid TOML.
    pub const TOML_SYNTAX: &str = "R001";
    /// The TOML is valid but does not fit the schema (unknown key, missing key, wrong type).
    pub const SCHEMA: &str = "R002";
    /// A regex does not compile (or is too large).
    pub const BAD_REGEX: &str = "R003";
    /// Two roles (or two areas of one role) share an id.
    pub const DUPLICATE_ID: &str = "R004";
    /// An area has no phrases, patterns or near rules.
    pub const EMPTY_AREA: &str = "R005";
    /// An example names a role that the pack does not have.
    pub const UNKNOWN_ROLE: &str = "R006";
    /// An id is not kebab-case.
    pub const BAD_ID: &str = "R007";
    /// A weight is out of range.
    pub const BAD_WEIGHT: &str = "R008";
    /// A phrase is empty or only wildcards.
    pub const BAD_PHRASE: &str = "R009";
    /// A regex has no literal prefix for the automaton to find (it runs over the whole text).
    pub const REGEX_NO_LITERAL: &str = "R010";
    /// A rule file or folder cannot be read.
    pub const IO: &str = "R011";
    /// The pack has no roles at all.
    pub const EMPTY_PACK: &str = "R012";
    /// An example has neither `expect` nor `reject`.
    pub const EXAMPLE_WITHOUT_EXPECTATION: &str = "R013";
    /// The same phrase is listed twice in one role.
    pub const DUPLICATE_PHRASE: &str = "R014";
    /// A rule-file example (posting or title) does not give what it expects.
    pub const EXAMPLE_FAILS: &str = "R015";
    /// A phrase is listed by several roles, so it tells them apart little.
    pub const SHARED_PHRASE: &str = "R016";
    /// The pack exceeds a size limit (phrases, phrase length, automaton size).
    pub const PACK_LIMIT: &str = "R017";
    /// A role has no examples.
    pub const NO_EXAMPLES: &str = "R018";
    /// A proximity rule (`near`) is malformed: not two sides around `..`, an empty alternative, a bad window.
    pub const BAD_NEAR: &str = "R019";
    /// A phrase writes `word~` but no language file of the pack says how words inflect: only the word as written
    /// matches.
    pub const NO_INFLECTION: &str = "R020";
    /// `distinguishing_with` names an area the role does not have.
    pub const UNKNOWN_AREA: &str = "R021";
}

impl Diagnostic {
    /// An error at `span` of `file` (whose text is `source`).
    pub fn error(code: &'static str, file: &str, source: &str, span: Option<Span>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, file, source, span, message)
    }

    /// A warning at `span` of `file` (whose text is `source`).
    pub fn warning(
        code: &'static str,
        file: &str,
        source: &str,
        span: Option<Span>,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Warning, code, file, source, span, message)
    }

    fn new(
        severity: Severity,
        code: &'static str,
        file: &str,
        source: &str,
        span: Option<Span>,
        message: impl Into<String>,
    ) -> Self {
        let (line, col, source_line) = match span {
            Some(s) => {
                let (line, col) = line_col(source, s.start);
                (line, col, line_text(source, s.start).to_string())
            }
            None => (0, 0, String::new()),
        };
        Diagnostic {
            code,
            severity,
            file: file.to_string(),
            span,
            line,
            col,
            source_line,
            message: message.into(),
            hint: None,
        }
    }

    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Source lines longer than this (in characters) are shown as a window around the column.
const LONG_LINE: usize = 120;

impl fmt::Display for Diagnostic {
    /// One diagnostic in the rustc style (see the module docs). Never coloured.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(f, "{level}[{}]: {}", self.code, self.message)?;
        if self.span.is_some() {
            let num = self.line.to_string();
            let pad = " ".repeat(num.len());
            writeln!(f, "{pad}--> {}:{}:{}", self.file, self.line, self.col)?;
            writeln!(f, "{pad} |")?;
            // A very long line (minified TOML, a 100,000-bracket attack) is shown as a window around the column.
            let chars: Vec<char> = self.source_line.chars().collect();
            let col = self.col.max(1) - 1;
            let (from, to) = if chars.len() > LONG_LINE {
                let from = col.saturating_sub(LONG_LINE / 2);
                (from, (from + LONG_LINE).min(chars.len()))
            } else {
                (0, chars.len())
            };
            let lead = if from > 0 { "…" } else { "" };
            let tail = if to < chars.len() { "…" } else { "" };
            let shown: String = chars[from..to].iter().collect();
            writeln!(f, "{num} | {lead}{shown}{tail}")?;
            let len =
                self.span.map(|s| s.end.saturating_sub(s.start)).unwrap_or(1).clamp(1, to.saturating_sub(col).max(1));
            let caret_pad: String = lead
                .chars()
                .map(|_| ' ')
                .chain(chars[from..col.min(to)].iter().map(|&c| if c == '\t' { '\t' } else { ' ' }))
                .collect();
            writeln!(f, "{pad} | {caret_pad}{}", "^".repeat(len.min(80)))?;
        } else {
            writeln!(f, "  --> {}", self.file)?;
        }
        if let Some(h) = &self.hint {
            let pad = " ".repeat(self.line.to_string().len().max(1));
            writeln!(f, "{pad} = hint: {h}")?;
        }
        Ok(())
    }
}

/// Renders every diagnostic, then a summary line (`error: 3 errors, 1 warning in the rule pack`).
pub fn render(diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diags {
        out.push_str(&d.to_string());
        out.push('\n');
    }
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    if errors > 0 {
        out.push_str(&format!(
            "error: the rule pack has {errors} error{} and {warnings} warning{}\n",
            plural(errors),
            plural(warnings)
        ));
    }
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// 1-based line and column (in characters) of byte `offset` in `text`. Offsets past the end or inside a
/// multi-byte character are clamped to the character that holds them.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = text[line_start..offset].chars().count() + 1;
    (line, col)
}

/// Incremental line:col lookup for many ascending offsets into one text (rendering a posting's evidence).
///
/// Columns are counted from the previous lookup when it was on the same line and not after the new offset, so the
/// evidence of a posting written on one very long line costs one pass, not one pass per piece of evidence.
#[derive(Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// The last lookup: (line, byte offset, column).
    last: std::cell::Cell<(usize, usize, usize)>,
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i + 1));
        LineIndex { starts, last: std::cell::Cell::new((1, 0, 1)) }
    }

    /// 1-based line and column (in characters) of byte `offset` in `text` (the text this index was built on).
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let (last_line, last_offset, last_col) = self.last.get();
        let col = if last_line == line && last_offset <= offset && last_offset >= start {
            last_col + text[last_offset..offset].chars().count()
        } else {
            text[start..offset].chars().count() + 1
        };
        self.last.set((line, offset, col));
        (line, col)
    }

    /// Byte range of 1-based line `line`, without its line break.
    pub fn line_range(&self, text: &str, line: usize) -> std::ops::Range<usize> {
        let start = self.starts[line - 1];
        let mut end = self.starts.get(line).map_or(text.len(), |&s| s - 1);
        if end > start && text.as_bytes()[end - 1] == b'\r' {
            end -= 1;
        }
        start..end
    }

    /// Number of lines.
    pub fn lines(&self) -> usize {
        self.starts.len()
    }
}

/// The line of `text` that holds byte `offset`, without its line break.
fn line_text(text: &str, offset: usize) -> &str {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    text[start..end].trim_end_matches('\r')
}

/// The largest char boundary `<= i`.
pub(crate) fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "ab\nüx\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        assert_eq!(line_col(text, 5), (2, 2)); // after the 2-byte ü
        assert_eq!(line_col(text, 4), (2, 1)); // inside ü: clamped to its start
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 5), (2, 2));
        assert_eq!(idx.line_range(text, 2), 3..6);
        assert_eq!(idx.lines(), 3);
    }

    #[test]
    fn line_index_agrees_with_line_col_in_any_lookup_order() {
        let text = "héllo wörld
second ünïcode line

last ✓ line";
        let idx = LineIndex::new(text);
        let offsets: Vec<usize> = (0..=text.len()).collect();
        // Ascending (the incremental path), then descending and jumping between lines (the fallback).
        for &o in offsets.iter().chain(offsets.iter().rev()).chain([3, 30, 5, 40, 0].iter()) {
            assert_eq!(idx.line_col(text, o), line_col(text, o), "offset {o}");
        }
    }

    #[test]
    fn renders_like_rustc() {
        let src = "id = \"x\"\nweight = 9.0\n";
        let d = Diagnostic::error(
            codes::BAD_WEIGHT,
            "rules/x.toml",
            src,
            Some(Span::new(18, 21)),
            "weight 9 is out of range",
        )
        .with_hint("use 0.1 ..= 3.0");
        let s = d.to_string();
        assert!(s.starts_with("error[R008]: weight 9 is out of range\n"), "{s}");
        assert!(s.contains("--> rules/x.toml:2:10"), "{s}");
        assert!(s.contains("2 | weight = 9.0"), "{s}");
        assert!(s.contains("  |          ^^^"), "{s}");
        assert!(s.contains("\n  = hint: use 0.1 ..= 3.0"), "{s}");
        let all = render(&[d.clone(), d]);
        assert!(all.ends_with("error: the rule pack has 2 errors and 0 warnings\n"), "{all}");
    }
}
