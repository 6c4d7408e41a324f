//! The front door: every face (the command line, `rolecall serve`, the coming Python package) calls the library
//! through an [`Engine`] and its per-thread [`Session`]s.
//!
//! An [`Engine`] owns the compiled, immutable rule set (`Send + Sync`: share it, or one `Arc` of it, between
//! threads). A [`Session`] is a thread's scratch over it, cheap to make and meant to be kept: it matches
//! ([`crate::scan::Scanner`], which knows nothing of scores), scores ([`crate::score`]), reads titles
//! ([`crate::title`]), assesses drift ([`crate::drift`]) and compares roles ([`crate::compare`]). The layers
//! below import downwards only: text ([`crate::posting`]) → rules ([`crate::rulefile`], [`crate::compile`](mod@crate::compile),
//! [`crate::ruleset`]) → [`crate::scan`] → [`crate::score`] → [`crate::title`], [`crate::drift`],
//! [`crate::compare`] → [`crate::report`] → this front door → jobs ([`crate::batch`], [`crate::eval`],
//! [`crate::mine`]) → faces.
//!
//! ```
//! use rolecall::{Engine, Posting};
//! let engine = Engine::with_default_rules().expect("the default pack compiles");
//! let mut session = engine.session(); // one per thread; the engine is shared
//! let text = "You will own and order the product backlog, write user stories with acceptance criteria, \
//!             run backlog refinement and accept the team's work in the sprint review.";
//! let verdict = session.classify(Posting::new(text));
//! assert_eq!(verdict.role_id(), "product-owner");
//! // Every counted phrase is a byte span of the text.
//! let e = verdict.evidence.iter().find(|e| e.counted).unwrap();
//! assert!(text[e.hit.start..e.hit.end].len() > 0);
//! // The title says what the employer calls the job; drift compares it with the work the body describes.
//! let drift = session.drift("Scrum Master", text);
//! assert_eq!(drift.drift, rolecall::drift::Drift::Far);
//! assert_eq!(session.title("Sr. Product Owner (m/f/d)").role, engine.rules().role("product-owner").map(|r| r.0));
//! ```

use crate::compare::Comparison;
use crate::drift::DriftReading;
use crate::posting::{Normalized, Posting};
use crate::ruleset::{RoleIdx, RuleSet};
use crate::scan::Scanner;
use crate::score::{self, Basis, Classification};
use crate::title::TitleReading;
use crate::{Diagnostic, Source};

/// A compiled rule set, ready to answer (see the module docs).
#[derive(Debug)]
pub struct Engine {
    rules: RuleSet,
}

impl Engine {
    /// An engine over `rules`.
    pub fn new(rules: RuleSet) -> Engine {
        Engine { rules }
    }

    /// An engine over the built-in rule pack.
    pub fn with_default_rules() -> Result<Engine, Vec<Diagnostic>> {
        crate::default_rules().map(Engine::new)
    }

    /// Compiles `sources` (rule files and language files; see `rules/README.md`) into an engine, or every
    /// diagnostic at once.
    pub fn compile(sources: &[Source]) -> Result<Engine, Vec<Diagnostic>> {
        crate::compile(sources).map(|c| Engine::new(c.rules))
    }

    /// The rule set.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// The rule set's hash: same hash, same answers.
    pub fn rules_hash(&self) -> &str {
        self.rules.hash()
    }

    /// A new session (keep one per thread).
    pub fn session(&self) -> Session<'_> {
        Session::new(&self.rules)
    }

    /// The rule set, given back.
    pub fn into_rules(self) -> RuleSet {
        self.rules
    }
}

/// One thread's scratch over a rule set: matching buffers, scoring tables and a title normaliser. Answers
/// borrow the rule set, not the session, so they outlive the next call.
#[derive(Debug)]
pub struct Session<'r> {
    scanner: Scanner<'r>,
    scratch: score::Scratch,
    /// The lists of classifications handed back by [`Session::recycle`], for the next ones to fill.
    recycled: score::Recycled<'r>,
    title_norm: Normalized,
    min_confidence: Option<f64>,
}

impl<'r> Session<'r> {
    /// A session over `rules` (the same as [`Engine::session`] for code that holds a [`RuleSet`]).
    pub fn new(rules: &'r RuleSet) -> Session<'r> {
        Session {
            scanner: Scanner::new(rules),
            scratch: score::Scratch::default(),
            recycled: score::Recycled::default(),
            title_norm: Normalized::default(),
            min_confidence: None,
        }
    }

    /// From now on, a verdict whose confidence is below `min` is reported `uncertain` (its role the best guess);
    /// `None` (the default) reports every verdict as scored. Drift then reads an uncertain body as `unknown`.
    pub fn set_min_confidence(&mut self, min: Option<f64>) {
        self.min_confidence = min;
    }

    /// The rule set.
    pub fn rules(&self) -> &'r RuleSet {
        self.scanner.rules()
    }

    /// Classifies one posting on all its evidence. The title (if any) is carried along, never scored.
    pub fn classify(&mut self, posting: Posting<'_>) -> Classification<'r> {
        self.classify_on(posting, Basis::All)
    }

    /// [`Session::classify`] on a chosen basis (responsibilities alone for title drift and masked evaluation).
    pub fn classify_on(&mut self, posting: Posting<'_>, basis: Basis) -> Classification<'r> {
        let rules = self.scanner.rules();
        let hits = self.scanner.scan(posting.text);
        score::classify_into(rules, hits, basis, &mut self.scratch, &mut self.recycled)
            .with_min_confidence(self.min_confidence)
    }

    /// Scores the evidence of the last posting again, on another basis (no second scan).
    pub fn rescore(&mut self, basis: Basis) -> Classification<'r> {
        score::classify_into(self.scanner.rules(), self.scanner.hits(), basis, &mut self.scratch, &mut self.recycled)
            .with_min_confidence(self.min_confidence)
    }

    /// Hands a classification back once it is read: the next ones fill its lists (evidence, ranking, area
    /// scores) instead of new ones, so a run of postings writes them into memory the cache holds. Optional: a
    /// classification simply dropped costs only its allocations.
    pub fn recycle(&mut self, c: Classification<'r>) {
        self.recycled.keep(c);
    }

    /// Reads a job title: its role, seniority and the parts around the role.
    pub fn title(&mut self, title: &str) -> TitleReading {
        crate::title::read(self.scanner.rules(), &mut self.title_norm, title)
    }

    /// The role a job title names, if it names one ([`Session::title`]`(title).role`, without the rest of the
    /// reading: domains, seniority and parts).
    pub fn title_role(&mut self, title: &str) -> Option<RoleIdx> {
        crate::title::read_with(self.scanner.rules(), &mut self.title_norm, title, false).role
    }

    /// The span of `text`'s first line when it reads as a job title ([`crate::title::first_line_title`]).
    pub fn first_line_title(&mut self, text: &str) -> Option<(usize, usize)> {
        crate::title::first_line_title(self.scanner.rules(), &mut self.title_norm, text)
    }

    /// Title drift of one posting: the title's role against the body's, on responsibility evidence alone.
    pub fn drift(&mut self, title: &str, text: &str) -> DriftReading<'r> {
        let reading = self.title(title);
        let body = self.classify_on(Posting::new(text), crate::drift::BASIS);
        DriftReading::assess(self.rules(), reading, body)
    }

    /// Drift of the title `title` against the last posting classified (its evidence scored again).
    pub fn drift_of_last(&mut self, title: &str) -> DriftReading<'r> {
        let reading = self.title(title);
        let body = self.rescore(crate::drift::BASIS);
        DriftReading::assess(self.rules(), reading, body)
    }

    /// One posting's full report as `classify` prints it (and `serve` and the Python package answer): the title
    /// given, else (with `guess`) the first line when it reads as one ([`crate::report::TitleFrom`] says which),
    /// and the title's drift when there is a title. The title never changes the verdict.
    pub fn report<'a>(
        &mut self,
        text: &'a str,
        source: &'a str,
        given: Option<&'a str>,
        guess: bool,
    ) -> crate::report::Report<'a>
    where
        'r: 'a,
    {
        let guessed = match given {
            None if guess => self.first_line_title(text),
            _ => None,
        };
        let title = given.or(guessed.map(|(s, e)| &text[s..e]));
        let c = self.classify(Posting { text, title });
        let mut report = crate::report::Report::new(&c, text, source, title);
        if guessed.is_some() {
            report.title_from = Some(crate::report::TitleFrom::FirstLine);
        }
        if let Some(t) = title {
            let d = self.drift_of_last(t);
            report = report.with_drift(crate::drift::DriftReport::new(&d, t, text));
        }
        report
    }

    /// Why `text` scores as it does for `roles` (one, or two to compare), as `explain --format json` prints it.
    pub fn explain<'a>(
        &mut self,
        text: &'a str,
        source: &'a str,
        roles: &[RoleIdx],
    ) -> crate::compare::ExplainReport<'a>
    where
        'r: 'a,
    {
        let c = self.classify(Posting::new(text));
        let cmp = match *roles {
            [a, b] => Some(self.compare(&c, text, a, b)),
            _ => None,
        };
        crate::compare::ExplainReport::new(&c, roles, cmp.as_ref(), text, source)
    }

    /// Roles `a` and `b` on `text` side by side, given the text's classification `c` ([`Comparison`]).
    pub fn compare(&mut self, c: &Classification<'r>, text: &str, a: RoleIdx, b: RoleIdx) -> Comparison<'r> {
        Comparison::new(&mut self.scanner, &mut self.scratch, c, text, a, b)
    }

    /// Matches `text` without scoring it: every hit, ascending by start (valid until the next call).
    pub fn scan(&mut self, text: &str) -> &[crate::scan::Hit] {
        self.scanner.scan(text)
    }

    /// The matcher, for the batch engine's read-ahead and for raw hits.
    pub fn scanner(&mut self) -> &mut Scanner<'r> {
        &mut self.scanner
    }

    /// The boilerplate ranges of the last posting (byte ranges of the original text, sorted and disjoint).
    pub fn boilerplate(&self) -> &[(usize, usize)] {
        self.scanner.boilerplate()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_and_sessions_are_shared_across_threads_with_the_same_answers() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Engine>();
        let engine = Engine::with_default_rules().unwrap();
        let text = "Facilitate sprint planning, daily stand-ups and retrospectives; remove impediments; coach the \
                    team in Scrum.";
        let here = engine.session().classify(Posting::new(text)).score();
        std::thread::scope(|s| {
            for _ in 0..2 {
                s.spawn(|| assert_eq!(engine.session().classify(Posting::new(text)).score(), here));
            }
        });
        // rescore reads the last posting's evidence again: the same as classifying on that basis.
        let mut session = engine.session();
        let all = session.classify(Posting::new(text));
        let again = session.rescore(Basis::Responsibilities).score();
        assert_eq!(again, session.classify_on(Posting::new(text), Basis::Responsibilities).score());
        assert!(again <= all.score());
    }

    /// A classification filling the lists of recycled ones reads exactly as one made afresh, whatever the
    /// postings before it held (more evidence, more roles, or none).
    #[test]
    fn recycled_lists_give_the_same_classifications() {
        let engine = Engine::with_default_rules().unwrap();
        let texts = [
            "Own the product backlog and order it by value; define the roadmap with stakeholders. Our Product \
             Owner partners with the Scrum Master.",
            "Facilitate sprint planning and retrospectives; coach the team in Scrum.",
            "",
            "Run the day-to-day operations of technical programs; manage risks, milestones and dependencies \
             across engineering teams.",
        ];
        let mut reused = engine.session();
        for round in 0..2 {
            for text in texts {
                let got = reused.classify(Posting::new(text));
                let want = engine.session().classify(Posting::new(text));
                assert_eq!(format!("{:?}", got.ranking), format!("{:?}", want.ranking), "{round} {text:?}");
                assert_eq!(format!("{:?}", got.evidence), format!("{:?}", want.evidence), "{round} {text:?}");
                assert_eq!((got.role, got.status, got.confidence), (want.role, want.status, want.confidence));
                reused.recycle(got);
            }
        }
    }
}
