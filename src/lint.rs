//! Rule-pack checks for authors: everything the compiler reports, plus the checks that need the compiled pack.
//!
//! [`lint`] compiles the sources and returns every diagnostic at once (errors and warnings, in file and line
//! order):
//! - from the compiler: TOML syntax (R001), schema and unknown keys (R002), invalid or oversized regexes (R003),
//!   duplicate ids (R004), empty areas (R005), unknown roles (R006), ids (R007), weights out of range (R008), bad
//!   phrases (R009), regexes without a literal to prefilter on (R010, warning), examples without an expectation
//!   (R013), a phrase listed twice in one role (R014, warning), pack limits (R017);
//! - from the compiled pack: examples (postings and titles) that fail (R015), and a phrase listed by
//!   [`SHARED_WARN`] or more roles (R016, warning; background profiles, which overlap by nature, are left out),
//!   with how much it still discriminates (each role gets `k^-0.5` of it), and roles without example postings (R018, warning; `rules test` fails on them).
//!
//! "A phrase hidden by a longer phrase" is not a check here: the automaton reports every occurrence, overlapping
//! ones included, so no phrase can hide another; within one role a phrase nested in a longer one counts once,
//! by design.

use crate::diag::{codes, Diagnostic};
use crate::examples;
use crate::rulefile::Source;
use crate::ruleset::{RuleSet, UseKind};

/// A phrase listed by this many roles or more is reported (R016): each of them gets half of it or less.
pub const SHARED_WARN: usize = 4;

/// The outcome of linting a pack.
#[derive(Debug)]
pub struct Lint {
    /// Every diagnostic, errors and warnings, in file and line order.
    pub diagnostics: Vec<Diagnostic>,
    /// The compiled pack, when it compiled.
    pub rules: Option<RuleSet>,
}

impl Lint {
    /// Errors found.
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// Warnings found.
    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }
}

/// Lints `sources` (a pack, in order).
pub fn lint(sources: &[Source]) -> Lint {
    let compiled = match crate::compile(sources) {
        Ok(c) => c,
        Err(diagnostics) => return Lint { diagnostics, rules: None },
    };
    let rules = compiled.rules;
    let mut diags = compiled.warnings;
    let text_of = |file: &str| sources.iter().find(|s| s.name == file).map_or("", |s| s.text.as_str());

    // Phrases that several roles list.
    for p in rules.patterns() {
        let mut roles: Vec<(u16, &crate::ruleset::Use)> = p
            .uses
            .iter()
            .filter_map(|u| match u.kind {
                // Background profiles overlap by nature ("a former software engineer" fits several roles).
                UseKind::Responsibility { role, area }
                    if !rules.roles()[role as usize].areas[area as usize].background =>
                {
                    Some((role, u))
                }
                _ => None,
            })
            .collect();
        roles.sort_by_key(|&(r, _)| r);
        roles.dedup_by_key(|&mut (r, _)| r);
        if roles.len() < SHARED_WARN {
            continue;
        }
        let ids: Vec<&str> = roles.iter().map(|&(r, _)| rules.roles()[r as usize].id.as_str()).collect();
        let share = (roles.len() as f64).powf(-crate::compile::SHARE_EXPONENT);
        for &(_, u) in &roles {
            let file = &rules.files()[u.at.0 as usize];
            diags.push(
                Diagnostic::warning(
                    codes::SHARED_PHRASE,
                    file,
                    text_of(file),
                    Some(u.at.1),
                    format!(
                        "phrase `{}` is listed by {} roles ({}): it tells them apart little, each gets {:.2} of it",
                        u.phrase,
                        roles.len(),
                        ids.join(", "),
                        share
                    ),
                )
                .with_hint("keep it in the role it is most typical of, or make it more specific"),
            );
        }
    }

    // Roles without example postings: nothing shows their profile works.
    for r in rules.roles() {
        if !rules.examples().iter().any(|e| e.file == r.file) {
            diags.push(
                Diagnostic::warning(
                    codes::NO_EXAMPLES,
                    &r.file,
                    text_of(&r.file),
                    None,
                    format!("role `{}` has no examples", r.id),
                )
                .with_hint("add [[examples]] with `expect` (a posting of the role) and `reject` (a near miss)"),
            );
        }
    }

    // Examples that fail.
    for c in examples::check_all(&rules) {
        if let Err(why) = c.result {
            let (what, hint) = if c.title {
                ("title example", "add the title's wording to `[titles] phrases`, or fix the example")
            } else {
                ("example", "tune the role's phrases (for the role, not for this one text), or fix the example")
            };
            diags.push(
                Diagnostic::error(
                    codes::EXAMPLE_FAILS,
                    c.file,
                    text_of(c.file),
                    Some(c.span),
                    format!("{what} fails: {why}"),
                )
                .with_hint(hint),
            );
        }
    }
    diags.sort_by(|x, y| (&x.file, x.line, x.col, x.code).cmp(&(&y.file, y.line, y.col, y.code)));
    Lint { diagnostics: diags, rules: Some(rules) }
}
