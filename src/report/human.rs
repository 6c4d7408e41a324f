//! Human printer: the verdict, the per-area breakdown, the evidence list and the posting's lines with the
//! evidence highlighted.
//!
//! Colour (ANSI) only when asked for: the CLI turns it on for a terminal unless `NO_COLOR` is set. Without colour,
//! evidence in the text is bracketed `[like this]`, so the output reads the same in a log or a golden file.
//! Long lines (scraped postings often have no line breaks) are shown as excerpts around their evidence.

use super::{EvidenceItem, Printer, Report, Uncounted};
use crate::diag::LineIndex;
use std::io::{self, Write};

const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const GREEN: &str = "\x1b[1;32m";
const YELLOW: &str = "\x1b[1;33m";
const STRIKE: &str = "\x1b[9;2m";
const RESET: &str = "\x1b[0m";
/// Lines longer than this (in characters) are shown as excerpts.
const LONG_LINE: usize = 160;
/// Characters of context on each side of evidence in an excerpt.
const CONTEXT: usize = 40;

/// Writes reports for people.
#[derive(Debug)]
pub struct HumanPrinter<W: Write> {
    out: W,
    color: bool,
    first: bool,
}

impl<W: Write> HumanPrinter<W> {
    /// A printer writing to `out`, with or without ANSI colour.
    pub fn new(out: W, color: bool) -> Self {
        HumanPrinter { out, color, first: true }
    }

    fn paint(&self, style: &str, s: &str) -> String {
        if self.color {
            format!("{style}{s}{RESET}")
        } else {
            s.to_string()
        }
    }
}

impl<W: Write> HumanPrinter<W> {
    /// The title's reading and its drift from the body.
    fn drift_lines(&self, o: &mut Vec<u8>, d: &crate::drift::DriftReport<'_>) -> io::Result<()> {
        let st = &d.stated;
        let mut said = match (st.role, st.also) {
            (Some(a), Some(b)) => format!("{a} + {b} (dual title)"),
            (Some(a), None) => a.to_string(),
            _ if !st.candidates.is_empty() => format!("ambiguous: {}", st.candidates.join(" or ")),
            _ => "no known role".to_string(),
        };
        if let Some(s) = &st.seniority {
            said += &format!(", {} ({:?})", s.level, s.text);
        }
        if !st.also_named.is_empty() {
            said += &format!("; also names {}", st.also_named.join(", "));
        }
        writeln!(o, "  names     {said}")?;
        if !st.parts.is_empty() {
            let parts: Vec<String> = st.parts.iter().map(|p| format!("{} {:?}", p.kind, p.text)).collect();
            writeln!(o, "  apart     {}", parts.join(", "))?;
        }
        let verdict = match d.drift {
            crate::drift::Drift::None => self.paint(GREEN, "none"),
            crate::drift::Drift::Unknown => "unknown".to_string(),
            k => self.paint(YELLOW, k.as_str()),
        };
        let strength = d.strength.map_or(String::new(), |s| format!(" (strength {s:.2})"));
        writeln!(
            o,
            "drift       {verdict}{strength}: the body does {} work on responsibilities alone ({:.2}; stated role {:.2})",
            d.body.role, d.body.score, d.stated_score
        )?;
        writeln!(o, "  why       {}", d.why.says())?;
        let quote = |v: &[std::borrow::Cow<'_, str>]| v.iter().map(|p| format!("{p:?}")).collect::<Vec<_>>().join(", ");
        if !d.body_evidence.is_empty() {
            writeln!(o, "  body      {}", quote(&d.body_evidence))?;
        }
        if d.stated.role.is_some() && d.stated.role != Some(d.body.role) {
            let shown = if d.stated_evidence.is_empty() { "(none)".to_string() } else { quote(&d.stated_evidence) };
            writeln!(o, "  stated    {shown}")?;
        }
        if !d.name_mentions.is_empty() {
            let names: Vec<String> = d.name_mentions.iter().map(|n| format!("{:?} ({})", n.text, n.role)).collect();
            writeln!(o, "  named     {} (name mentions: shown, not counted)", names.join(", "))?;
        }
        Ok(())
    }
}

fn bar(fraction: f64) -> String {
    let n = (fraction.clamp(0.0, 1.0) * 8.0).round() as usize;
    format!("{}{}", "#".repeat(n), ".".repeat(8 - n))
}

impl<W: Write> Printer for HumanPrinter<W> {
    fn print(&mut self, r: &Report<'_>) -> io::Result<()> {
        if !self.first {
            writeln!(self.out)?;
        }
        self.first = false;
        let focus = r.focus_roles();
        let o = &mut Vec::new();
        writeln!(o, "{}", self.paint(BOLD, &format!("== {}", r.source)))?;
        match r.name {
            Some(name) => writeln!(o, "role        {} ({}, family {})", self.paint(GREEN, name), r.role, r.family)?,
            None => writeln!(o, "role        {} (no role fits the body)", self.paint(YELLOW, "other"))?,
        }
        let status = match r.status {
            crate::score::Status::Ambiguous => {
                let second = r.roles.get(1).map_or("", |x| x.name);
                format!("ambiguous: too close to call against {second}")
            }
            crate::score::Status::Uncertain => {
                "uncertain: confidence below the minimum asked for (the role is the best guess)".to_string()
            }
            s => s.as_str().to_string(),
        };
        writeln!(o, "status      {status}    confidence {:.2}    score {:.2}", r.confidence, r.score)?;
        if !r.runners_up.is_empty() {
            let list: Vec<String> = r.runners_up.iter().map(|x| format!("{} {:.2}", x.name, x.score)).collect();
            writeln!(o, "runners-up  {}", list.join(", "))?;
        }
        if let Some(t) = r.title {
            let from = match r.title_from {
                Some(super::TitleFrom::FirstLine) => "the first line, read as the title",
                _ => "as posted",
            };
            writeln!(o, "title       {t:?} ({from}; reported, not scored)")?;
        }
        if let Some(d) = &r.drift {
            self.drift_lines(o, d)?;
        }
        writeln!(o, "rules       {}", r.rules)?;

        for d in r.roles.iter().filter(|d| focus.contains(&d.role)) {
            writeln!(o)?;
            writeln!(
                o,
                "{}",
                self.paint(BOLD, &format!("{}: score {:.2}, coverage {:.0}%", d.name, d.score, d.coverage * 100.0))
            )?;
            let idw = d.areas.iter().map(|a| a.id.len()).max().unwrap_or(0);
            for a in &d.areas {
                writeln!(
                    o,
                    "  {:<idw$}  w {:.1}  {}  {:.2}  {} phrase{}",
                    a.id,
                    a.weight,
                    bar(a.score / a.weight),
                    a.score,
                    a.phrases,
                    if a.phrases == 1 { "" } else { "s" }
                )?;
            }
            if d.names > 0 {
                writeln!(o, "  named in the body (+{:.1})", crate::score::NAME_WEIGHT)?;
            }
            if let Some(b) = &d.builds_on {
                writeln!(o, "  builds on {} (+{:.2})", b.role, b.added)?;
            }
            if d.negatives > 0 {
                writeln!(o, "  {} negative cue{}", d.negatives, if d.negatives == 1 { "" } else { "s" })?;
            }
        }

        let shown: Vec<&EvidenceItem<'_>> = r.evidence.iter().filter(|e| focus.contains(&e.role)).collect();
        if !shown.is_empty() {
            writeln!(o)?;
            writeln!(o, "{}", self.paint(BOLD, "evidence"))?;
            for e in &shown {
                let what = match e.area {
                    Some(a) if focus.len() > 1 => format!("{}/{a}", e.role),
                    Some(a) => a.to_string(),
                    None if focus.len() > 1 => format!("{}/{}", e.role, e.kind),
                    None => e.kind.to_string(),
                };
                let mut flags = Vec::new();
                if e.negated {
                    flags.push("negated");
                }
                if e.elsewhere {
                    flags.push("someone else");
                }
                if e.background && e.kind == "name" {
                    flags.push("past job");
                } else if e.background && e.kind != "background" {
                    flags.push("background");
                }
                if e.boilerplate {
                    flags.push("boilerplate");
                }
                let reason = match e.uncounted {
                    // Already said by a flag above.
                    None
                    | Some(Uncounted::Negated | Uncounted::SomeoneElse | Uncounted::PastJob | Uncounted::Boilerplate) => {
                        None
                    }
                    Some(why) => Some(format!("not counted: {}", why.as_str())),
                };
                let mut flags: Vec<String> = flags.into_iter().map(String::from).collect();
                flags.extend(reason);
                let flags = if flags.is_empty() { String::new() } else { format!("  ({})", flags.join(", ")) };
                let pos = format!("{}:{}", e.line, e.col);
                // The words that matched (never a pattern's source), on one line.
                let words = e.text.split_whitespace().collect::<Vec<_>>().join(" ");
                let short: String = if words.chars().count() > 40 {
                    words.chars().take(39).chain(std::iter::once('…')).collect()
                } else {
                    words
                };
                let phrase = if e.counted { self.paint(GREEN, &short) } else { self.paint(DIM, &short) };
                let pad = 28usize.saturating_sub(short.chars().count());
                writeln!(o, "  {pos:>7}  {phrase}{}  {what}  {:.2}{flags}", " ".repeat(pad), e.weight)?;
            }
            writeln!(o)?;
            writeln!(o, "{}", self.paint(BOLD, "text"))?;
            self.text_lines(o, r.text, &shown)?;
        }
        self.out.write_all(o)
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

impl<W: Write> HumanPrinter<W> {
    /// The lines holding evidence, with the evidence highlighted.
    fn text_lines(&self, o: &mut Vec<u8>, text: &str, shown: &[&EvidenceItem<'_>]) -> io::Result<()> {
        let index = LineIndex::new(text);
        // Non-overlapping spans (the longest first at each start), ascending.
        let mut spans: Vec<(usize, usize, &EvidenceItem<'_>)> = shown.iter().map(|e| (e.start, e.end, *e)).collect();
        spans.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let mut merged: Vec<(usize, usize, &EvidenceItem<'_>)> = Vec::new();
        for s in spans {
            match merged.last() {
                Some(last) if s.0 < last.1 => {}
                _ => merged.push(s),
            }
        }
        let width = index.lines().to_string().len();
        let mut i = 0;
        while i < merged.len() {
            let (line, _) = index.line_col(text, merged[i].0);
            let range = index.line_range(text, line);
            let mut j = i;
            while j < merged.len() && merged[j].0 < range.end.max(range.start + 1) {
                j += 1;
            }
            // Spans may run past the line end (a phrase across a line break): clip them for display.
            let on_line = &merged[i..j.max(i + 1)];
            let rendered = self.render_line(text, range.clone(), on_line);
            writeln!(o, "  {line:>width$} | {rendered}")?;
            i = j.max(i + 1);
        }
        Ok(())
    }

    fn render_line(
        &self,
        text: &str,
        range: std::ops::Range<usize>,
        spans: &[(usize, usize, &EvidenceItem<'_>)],
    ) -> String {
        let long = text[range.clone()].chars().count() > LONG_LINE;
        let mut out = String::new();
        let mut pos = range.start;
        for (k, &(s, e, item)) in spans.iter().enumerate() {
            let s = s.max(pos);
            let e = e.min(range.end).max(s);
            let gap = &text[pos..s];
            if long {
                let before_cut = k == 0 && pos == range.start;
                out.push_str(&excerpt_gap(gap, before_cut, false));
            } else {
                out.push_str(gap);
            }
            let shown = text[s..e].replace(['\n', '\r'], " ");
            if self.color {
                let style = if item.negated || item.elsewhere {
                    STRIKE
                } else if item.boilerplate || !item.counted {
                    DIM
                } else {
                    GREEN
                };
                out.push_str(&format!("{style}{shown}{RESET}"));
            } else {
                out.push('[');
                out.push_str(&shown);
                out.push(']');
            }
            pos = e;
        }
        let tail = &text[pos..range.end];
        if long {
            out.push_str(&excerpt_gap(tail, false, true));
        } else {
            out.push_str(tail);
        }
        out
    }
}

/// Shortens the text between two pieces of evidence on a long line: keeps `CONTEXT` characters at each side that
/// touches evidence.
fn excerpt_gap(gap: &str, at_line_start: bool, at_line_end: bool) -> String {
    let n = gap.chars().count();
    let keep_head = !at_line_start; // text right after the previous evidence
    let keep_tail = !at_line_end; // text right before the next evidence
    let budget = CONTEXT * (usize::from(keep_head) + usize::from(keep_tail));
    if n <= budget.max(1) + 3 {
        return gap.to_string();
    }
    let head: String = if keep_head { gap.chars().take(CONTEXT).collect() } else { String::new() };
    let tail: String = if keep_tail { gap.chars().skip(n - CONTEXT).collect() } else { String::new() };
    format!("{head}…{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_keep_context_next_to_evidence() {
        let gap = "a".repeat(200);
        let s = excerpt_gap(&gap, false, false);
        assert_eq!(s.chars().count(), 2 * CONTEXT + 1);
        assert!(excerpt_gap(&gap, true, false).starts_with('…'));
        assert!(excerpt_gap(&gap, false, true).ends_with('…'));
        assert_eq!(excerpt_gap("short", false, false), "short");
    }

    #[test]
    fn bars() {
        assert_eq!(bar(0.0), "........");
        assert_eq!(bar(0.5), "####....");
        assert_eq!(bar(2.0), "########");
    }
}
