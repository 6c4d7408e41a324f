//! rolecall reads a free-text job posting and says which role it really describes.
//!
//! Job titles lie: "Product Owner", "Technical Program Manager" or "CTO" are used loosely. rolecall scores the
//! posting's **body** against each role's *responsibility profile* and answers with the best-matching role, a
//! status (`match`, `ambiguous`, `none` → `other`), a confidence, the runners-up, and the evidence: every phrase
//! that counted, as a byte span of the original text, with the responsibility area it supports.
//!
//! **Start at the front door, [`Engine`]**: it compiles the rules once (the built-in pack, or your own files) and
//! hands out a per-thread [`Session`] that classifies postings, reads titles, assesses title drift and compares two
//! roles ([`engine`] shows each call). The command line, `rolecall serve` and the Python package all go through it.
//!
//! ```
//! use rolecall::{Engine, Posting};
//! let engine = Engine::with_default_rules().expect("the default pack compiles");
//! let mut session = engine.session(); // one per thread; the engine is shared
//! let text = "You will facilitate daily stand-ups, sprint planning and retrospectives, remove impediments \
//!             and coach the team and the organisation in Scrum and agile practices.";
//! let c = session.classify(Posting::new(text));
//! assert_eq!(c.role_id(), "scrum-master");
//! let counted: Vec<&str> = c.evidence.iter().filter(|e| e.counted).map(|e| &text[e.hit.start..e.hit.end]).collect();
//! assert!(counted.contains(&"remove impediments"), "{counted:?}");
//! ```
//!
//! Behind it, one stage per module, each importing only the ones before it: a posting is normalised with a map back
//! to its original bytes ([`posting`]); rule files are loaded ([`rulefile`]) and compiled ([`compile`](mod@compile)) into one
//! immutable [`RuleSet`] ([`ruleset`]) holding a single Aho-Corasick automaton over every phrase of every role; a
//! [`Scanner`] runs the automaton once, checks word boundaries, confirms regexes and marks negated, boilerplate,
//! background and someone-else mentions ([`scan`]: matching only, no scores); the hits are scored into a
//! [`Classification`] ([`score`]); titles are read ([`title`]), drift assessed ([`drift`]) and roles compared
//! ([`compare`]); printers render it ([`report`]); the jobs run many postings ([`batch`], [`aggregate`], [`eval`],
//! [`mine`]), and a drift run is checked against a reader's verdicts ([`judged`]). The library never prints.
#![warn(missing_docs, clippy::print_stdout, clippy::print_stderr)]

pub mod aggregate;
mod automaton;
pub mod batch;
pub mod compare;
pub mod compile;
pub mod diag;
pub mod drift;
pub mod engine;
pub mod eval;
pub mod examples;
pub mod judged;
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
pub use engine::{Engine, Session};
pub use posting::Posting;
pub use rulefile::Source;
pub use ruleset::RuleSet;
pub use scan::Scanner;
pub use score::{Classification, Status};

/// Compiles the embedded default pack (panics never; returns its diagnostics if the embedded pack is broken).
pub fn default_rules() -> Result<RuleSet, Vec<Diagnostic>> {
    compile(&rulefile::embedded()).map(|c| c.rules)
}
