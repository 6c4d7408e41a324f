//! rolecall reads a free-text job posting and says which role it really describes.
//!
//! Job titles lie: "Product Owner", "Technical Program Manager" or "CTO" are used loosely. rolecall scores the
//! posting's **body** against each role's *responsibility profile* and answers with the best-matching role, a
//! status (`match`, `ambiguous`, `none` → `other`), a confidence, the runners-up, and the evidence: every phrase
//! that counted, as a byte span of the original text, with the responsibility area it supports.
//!
//! The pipeline, one stage per module: rule files are loaded ([`rulefile`]) and compiled ([`compile`]) into one
//! immutable [`RuleSet`] ([`ruleset`]) holding a single Aho-Corasick automaton over every phrase of every role; a
//! posting is normalised with a map back to its original bytes ([`posting`]); a per-thread [`Scanner`] runs the
//! automaton once, checks word boundaries, confirms regexes and marks negated and boilerplate mentions
//! ([`scan`]); the hits are scored into a [`Classification`] ([`score`]); printers render it ([`report`]);
//! [`eval`] measures agreement with labelled data. The library never prints.
//!
//! ```
//! use rolecall::{Posting, Scanner};
//! let rules = rolecall::default_rules().expect("the default pack compiles");
//! let mut scanner = Scanner::new(&rules); // one per thread; the rule set is shared
//! let text = "You will facilitate daily stand-ups, sprint planning and retrospectives, remove impediments \
//!             and coach the team and the organisation in Scrum and agile practices.";
//! let c = scanner.classify(Posting::new(text));
//! assert_eq!(c.role_id(), "scrum-master");
//! let counted: Vec<&str> = c.evidence.iter().filter(|e| e.counted).map(|e| &text[e.hit.start..e.hit.end]).collect();
//! assert!(counted.contains(&"remove impediments"), "{counted:?}");
//! ```
#![warn(missing_docs, clippy::print_stdout, clippy::print_stderr)]

pub mod aggregate;
pub mod batch;
pub mod compare;
pub mod compile;
pub mod diag;
pub mod drift;
pub mod eval;
pub mod examples;
pub mod lint;
pub mod mine;
pub mod posting;
pub mod report;
pub mod rulefile;
pub mod ruleset;
pub mod scan;
pub mod score;
pub mod title;

pub use compile::{compile, Compiled};
pub use diag::{Diagnostic, Span};
pub use posting::Posting;
pub use rulefile::Source;
pub use ruleset::RuleSet;
pub use scan::Scanner;
pub use score::{Classification, Status};

/// Compiles the embedded default pack (panics never; returns its diagnostics if the embedded pack is broken).
pub fn default_rules() -> Result<RuleSet, Vec<Diagnostic>> {
    compile(&rulefile::embedded()).map(|c| c.rules)
}
