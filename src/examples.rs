//! Rule-file examples: run each example posting through the engine and check its expectation.
//!
//! An example passes when the reported role equals `expect` (`other` meaning no role fits), differs from `reject`,
//! and every `evidence` phrase is among the counted evidence of the reported role. A title example passes when the
//! title names its role and, if given, its seniority. `cargo test` runs every example
//! of the default pack; later `rolecall rules test` runs them for any pack.

use crate::posting::Posting;
use crate::ruleset::{Example, TitleExample};
use crate::Session;

/// Checks one title example: the title must name the example's role (alone, or first of a dual title) and, when
/// the example says, state its seniority. `Err` says what went wrong, in one line.
pub fn check_title(scanner: &mut Session<'_>, ex: &TitleExample) -> Result<(), String> {
    let r = scanner.title(&ex.title);
    let roles = scanner.rules().roles();
    let got = r.role.map_or("none", |i| roles[i as usize].id.as_str());
    if got != ex.role {
        let why = if r.candidates.is_empty() {
            String::new()
        } else {
            let c: Vec<&str> = r.candidates.iter().map(|&i| roles[i as usize].id.as_str()).collect();
            format!(" (ambiguous between {})", c.join(", "))
        };
        return Err(format!("title {:?}: expected {}, got {got}{why}", ex.title, ex.role));
    }
    let level = r.seniority.map(|(l, _, _)| l);
    if ex.seniority.is_some() && level != ex.seniority {
        let show = |l: Option<crate::ruleset::Seniority>| l.map_or("none", |l| l.as_str());
        return Err(format!("title {:?}: expected seniority {}, got {}", ex.title, show(ex.seniority), show(level)));
    }
    Ok(())
}

/// Checks one example; `Err` says what went wrong, in one line.
pub fn check(scanner: &mut Session<'_>, ex: &Example) -> Result<(), String> {
    let c = scanner.classify(Posting::new(&ex.text));
    let got = c.role_id();
    let runner = c.ranking.iter().find(|s| Some(s.role) != c.role).map_or(String::new(), |s| {
        format!(", runner-up {} {:.2}", scanner.rules().roles()[s.role as usize].id, s.score)
    });
    let got_desc = format!("{got} ({}, score {:.2}{runner})", c.status.as_str(), c.score());
    if let Some(want) = &ex.expect {
        if got != want {
            return Err(format!("expected {want}, got {got_desc}"));
        }
    }
    if let Some(not) = &ex.reject {
        if got == not {
            return Err(format!("must not be {not}, got {got_desc}"));
        }
    }
    for phrase in &ex.evidence {
        let found = c.evidence.iter().any(|e| e.counted && Some(e.hit.kind.role()) == c.role && e.phrase == phrase);
        if !found {
            return Err(format!("expected evidence `{phrase}` for {got}, not found"));
        }
    }
    Ok(())
}

/// One rule-file example's outcome.
#[derive(Debug, Clone)]
pub struct Checked<'r> {
    /// The rule file.
    pub file: &'r str,
    /// 1-based line of the example's text or title.
    pub line: usize,
    /// Byte span of that value in the file.
    pub span: crate::diag::Span,
    /// A title example (else a posting example).
    pub title: bool,
    /// `Err` says what went wrong, in one line.
    pub result: Result<(), String>,
}

/// Checks every posting example, then every title example, of `rules`, in pack order.
pub fn check_all(rules: &crate::RuleSet) -> Vec<Checked<'_>> {
    let mut scanner = Session::new(rules);
    let mut out: Vec<Checked<'_>> = rules
        .examples()
        .iter()
        .map(|ex| Checked {
            file: &ex.file,
            line: ex.line,
            span: ex.span,
            title: false,
            result: check(&mut scanner, ex),
        })
        .collect();
    out.extend(rules.title_examples().iter().map(|ex| Checked {
        file: &ex.file,
        line: ex.line,
        span: ex.span,
        title: true,
        result: check_title(&mut scanner, ex),
    }));
    out
}
