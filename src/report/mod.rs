//! Reports: one serialisable [`Report`] per posting, and the [`Printer`] trait with its printers (human, JSON Lines,
//! CSV).
//!
//! A `Report` is the stable, documented shape of a classification. `--format json` prints one per posting, as one
//! JSON object per line (JSON Lines). Its schema:
//!
//! | field | type | meaning |
//! |---|---|---|
//! | `source` | string | file path, or `-` for stdin |
//! | `title` | string or null | the title given with `--title`, or the first line when it reads as one: reported, never scored |
//! | `title_from` | string or null | `given`, or `first-line` when `classify` read the posting's first line as its title |
//! | `role` | string | best role id, or `other` when no role fits |
//! | `name` | string or null | the role's display name |
//! | `family` | string | the role's family, or `other` |
//! | `status` | string | `match`, `ambiguous` (top two too close; both in `roles`), `none`, or `uncertain` (below `--min-confidence`: `role` is the best guess) |
//! | `score` | number | the best role's score (see `score.rs`) |
//! | `confidence` | number | in [0, 1]: strength × separation for a role; for `none`, how clearly nothing fits |
//! | `runners_up` | array | the next (up to 3) roles: `{role, name, family, score}` |
//! | `roles` | array | the shown roles (best and runners-up) with `{role, name, family, score, coverage, names, negatives, builds_on, areas: [{id, name, weight, evidence, score, phrases}]}`; `builds_on` is null or `{role, added}` |
//! | `evidence` | array | every hit, by position: `{phrase, text, role, area, kind, weight, counted, negated, elsewhere, background, boilerplate, uncounted, start, end, line, col}`; `uncounted` is null when the evidence counted, else why not: `negated`, `someone-else`, `past-job` (a name in a clause about the candidate's past), `boilerplate` (a name in company or hiring prose), `alias` (a name joined to the name of a role that refines it: "Tech Owner / Technical Lead" names the tech owner), `inside-longer` (inside longer evidence of the same area or name) or `repeated` (the same phrase counted elsewhere); `elsewhere` marks a name mention about someone else ("reports to the CTO"); `background` marks evidence in a clause about the candidate's past ("5 years as a software developer"): a name there does not count; `kind` is `responsibility`, `background` (the role's background profile, counted only in such a clause), `name` or `negative`; `phrase` is the phrase, pattern or proximity rule (`own~ .. backlog`) as written; `area` is null unless `kind` is `responsibility` or `background`; `start`/`end` are byte offsets into the original text (`text == input[start..end]`), `line`/`col` 1-based, col in characters |
//! | `rules` | string | the rule set's hash: same hash, same answers |
//! | `drift` | object or null | with a title (`classify --title`): the title's role against the body's, on responsibility evidence alone; the schema of [`crate::drift::DriftReport`] |
//!
//! Numbers are rounded to 4 decimals so outputs are stable across platforms.

mod csv;
mod drift;
mod human;
mod json;

pub use self::csv::{CsvPrinter, EVIDENCE_PHRASES, VERDICT_COLUMNS};
pub use drift::{drift_html, drift_tables, escape, truncate};
pub use human::HumanPrinter;
pub use json::JsonPrinter;

use crate::diag::LineIndex;
use crate::scan::HitKind;
use crate::score::{Classification, Status};
use serde::Serialize;
use std::io;

/// How many runners-up a report lists.
pub const RUNNERS_UP: usize = 3;
/// How many of the reported role's best phrases a report keeps for compact columns.
pub const TOP_PHRASES: usize = 6;

/// The report of one posting (see the module docs for the JSON schema).
#[derive(Debug, Clone, Serialize)]
pub struct Report<'a> {
    /// File path or `-`.
    pub source: &'a str,
    /// The title as given, never scored.
    pub title: Option<&'a str>,
    /// Where the title came from: `given` (by the caller) or `first-line` (the posting's first line read as one).
    pub title_from: Option<TitleFrom>,
    /// Best role id or `other`.
    pub role: &'a str,
    /// Display name of the role.
    pub name: Option<&'a str>,
    /// Family of the role, or `other`.
    pub family: &'a str,
    /// match / ambiguous / none.
    pub status: Status,
    /// Best score.
    pub score: f64,
    /// Confidence in [0, 1].
    pub confidence: f64,
    /// Next roles.
    pub runners_up: Vec<RoleLine<'a>>,
    /// Best role and runners-up with their area breakdown.
    pub roles: Vec<RoleDetail<'a>>,
    /// Every hit.
    pub evidence: Vec<EvidenceItem<'a>>,
    /// Rule-set hash.
    pub rules: &'a str,
    /// Title drift, when a title was given.
    pub drift: Option<crate::drift::DriftReport<'a>>,
    /// The posting text (not serialised; printers use it).
    #[serde(skip)]
    pub text: &'a str,
    /// The reported role's best phrases (not serialised; compact columns use it).
    #[serde(skip)]
    pub top: Vec<std::borrow::Cow<'a, str>>,
}

/// A role in a ranking.
#[derive(Debug, Clone, Serialize)]
pub struct RoleLine<'a> {
    /// Role id.
    pub role: &'a str,
    /// Display name.
    pub name: &'a str,
    /// Family id.
    pub family: &'a str,
    /// Score.
    pub score: f64,
}

/// A shown role with its per-area breakdown.
#[derive(Debug, Clone, Serialize)]
pub struct RoleDetail<'a> {
    /// Role id.
    pub role: &'a str,
    /// Display name.
    pub name: &'a str,
    /// Family id.
    pub family: &'a str,
    /// Score.
    pub score: f64,
    /// Share of the role's area weight covered.
    pub coverage: f64,
    /// Distinct name mentions counted.
    pub names: u32,
    /// Distinct negative cues found.
    pub negatives: u32,
    /// The role this one builds on and the share of its evidence added (`builds_on` in the rule file).
    pub builds_on: Option<BaseLine<'a>>,
    /// Every area of the role.
    pub areas: Vec<AreaLine<'a>>,
}

/// What a role's `builds_on` added to its score.
#[derive(Debug, Clone, Serialize)]
pub struct BaseLine<'a> {
    /// The role built on.
    pub role: &'a str,
    /// The share of its evidence that was added.
    pub added: f64,
}

/// One area's part of a role's score.
#[derive(Debug, Clone, Serialize)]
pub struct AreaLine<'a> {
    /// Area id.
    pub id: &'a str,
    /// Display name.
    pub name: &'a str,
    /// Area weight.
    pub weight: f64,
    /// Evidence before saturation.
    pub evidence: f64,
    /// Area score.
    pub score: f64,
    /// Distinct phrases that counted.
    pub phrases: u32,
}

/// One hit.
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceItem<'a> {
    /// The phrase or pattern as written in the rule file.
    pub phrase: &'a str,
    /// The matched original text (`input[start..end]`).
    pub text: &'a str,
    /// Role id.
    pub role: &'a str,
    /// Area id (responsibility evidence only).
    pub area: Option<&'a str>,
    /// `responsibility`, `background`, `name` or `negative`.
    pub kind: &'static str,
    /// Worth before saturation (`specificity × context`).
    pub weight: f64,
    /// Whether it counted (first best occurrence, not negated).
    pub counted: bool,
    /// Cancelled by a negation cue.
    pub negated: bool,
    /// A name mention that refers to someone else ("reports to the CTO"); it does not count.
    pub elsewhere: bool,
    /// In a clause about the candidate's past ("years as a software developer"); a name there does not count.
    pub background: bool,
    /// Inside boilerplate.
    pub boilerplate: bool,
    /// Why it did not count, or `None` when it counted (see [`Uncounted`]).
    pub uncounted: Option<Uncounted>,
    /// Byte offset of the start in the original text.
    pub start: usize,
    /// Byte offset of the end.
    pub end: usize,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
}

/// Where a report's title came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TitleFrom {
    /// Given by the caller (`--title`, a title column).
    Given,
    /// The posting's first line, read as a title ([`crate::title::first_line_title`]).
    FirstLine,
}

/// Why a piece of evidence did not count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Uncounted {
    /// A negation cue cancels it ("no people management").
    Negated,
    /// A role's name about somebody else ("reports to the CTO").
    SomeoneElse,
    /// A role's name in a clause about the candidate's past ("5 years as a developer").
    PastJob,
    /// A role's name in company or hiring prose ("Our tech leads pair daily", an "about us" section).
    Boilerplate,
    /// A role's name joined to the name of a role that refines it ("Tech Owner / Technical Lead"): the pair names
    /// the refining role.
    Alias,
    /// Inside a longer piece of evidence for the same area or name ("product owner" in "technical product owner").
    InsideLonger,
    /// The same phrase already counted for the role elsewhere in the posting.
    Repeated,
}

impl Uncounted {
    /// Why `e` did not count, or `None` when it counted.
    pub fn of(e: &crate::score::Evidence<'_>) -> Option<Uncounted> {
        Some(if e.counted {
            return None;
        } else if e.hit.negated {
            Uncounted::Negated
        } else if e.hit.elsewhere {
            Uncounted::SomeoneElse
        } else if e.hit.background && matches!(e.hit.kind, HitKind::Name { .. }) {
            Uncounted::PastJob
        } else if e.hit.boilerplate && matches!(e.hit.kind, HitKind::Name { .. }) {
            Uncounted::Boilerplate
        } else if e.hit.alias && matches!(e.hit.kind, HitKind::Name { .. }) {
            Uncounted::Alias
        } else if e.weight <= 0.0 {
            Uncounted::InsideLonger
        } else {
            Uncounted::Repeated
        })
    }

    /// How a reader is told.
    pub fn as_str(&self) -> &'static str {
        match self {
            Uncounted::Negated => "negated",
            Uncounted::SomeoneElse => "someone else",
            Uncounted::PastJob => "past job",
            Uncounted::Boilerplate => "company or hiring prose",
            Uncounted::Alias => "joined to the name of a role that refines it",
            Uncounted::InsideLonger => "inside a longer phrase",
            Uncounted::Repeated => "repeated",
        }
    }
}

pub(crate) use crate::score::round4;

impl<'a> Report<'a> {
    /// Builds the report of classification `c` of `text`.
    pub fn new(c: &Classification<'a>, text: &'a str, source: &'a str, title: Option<&'a str>) -> Report<'a> {
        let rules = c.rules;
        let role_line = |s: &crate::score::RoleScore| {
            let r = &rules.roles[s.role as usize];
            RoleLine { role: &r.id, name: &r.name, family: &r.family, score: round4(s.score) }
        };
        let shown = if c.role.is_some() { 1 + RUNNERS_UP } else { RUNNERS_UP };
        let roles = c
            .ranking
            .iter()
            .take(shown)
            .map(|s| {
                let r = &rules.roles[s.role as usize];
                RoleDetail {
                    role: &r.id,
                    name: &r.name,
                    family: &r.family,
                    score: round4(s.score),
                    coverage: round4(s.coverage),
                    names: s.names,
                    negatives: s.negatives,
                    builds_on: s
                        .base
                        .map(|(b, added)| BaseLine { role: &rules.roles[b as usize].id, added: round4(added) }),
                    areas: s
                        .areas
                        .iter()
                        .map(|a| {
                            let ar = &r.areas[a.area as usize];
                            AreaLine {
                                id: &ar.id,
                                name: &ar.name,
                                weight: ar.weight,
                                evidence: round4(a.evidence),
                                score: round4(a.score),
                                phrases: a.phrases,
                            }
                        })
                        .collect(),
                }
            })
            .collect();
        let index = LineIndex::new(text);
        let evidence = c
            .evidence
            .iter()
            .map(|e| {
                let role = &rules.roles[e.hit.kind.role() as usize];
                let (kind, area) = match e.hit.kind {
                    HitKind::Responsibility { area, .. } => {
                        let a = &role.areas[area as usize];
                        (if a.background { "background" } else { "responsibility" }, Some(a.id.as_str()))
                    }
                    HitKind::Name { .. } => ("name", None),
                    HitKind::Negative { .. } => ("negative", None),
                };
                let (line, col) = index.line_col(text, e.hit.start);
                EvidenceItem {
                    phrase: e.phrase,
                    text: &text[e.hit.start..e.hit.end],
                    role: &role.id,
                    area,
                    kind,
                    weight: round4(e.weight),
                    counted: e.counted,
                    negated: e.hit.negated,
                    elsewhere: e.hit.elsewhere,
                    background: e.hit.background,
                    boilerplate: e.hit.boilerplate,
                    uncounted: Uncounted::of(e),
                    start: e.hit.start,
                    end: e.hit.end,
                    line,
                    col,
                }
            })
            .collect();
        let skip = usize::from(c.role.is_some());
        Report {
            source,
            title,
            title_from: title.map(|_| TitleFrom::Given),
            role: c.role_id(),
            name: c.role.map(|r| rules.roles[r as usize].name.as_str()),
            family: c.family(),
            status: c.status,
            score: round4(c.score()),
            confidence: round4(c.confidence),
            runners_up: c.ranking.iter().skip(skip).take(RUNNERS_UP).map(role_line).collect(),
            roles,
            evidence,
            rules: rules.hash(),
            drift: None,
            text,
            top: c.top_phrases(text, TOP_PHRASES),
        }
    }

    /// The report with the posting's title drift.
    pub fn with_drift(mut self, drift: crate::drift::DriftReport<'a>) -> Report<'a> {
        self.drift = Some(drift);
        self
    }

    /// The role the title names (`None` without a title, or when it names none).
    pub fn title_role(&self) -> Option<&'a str> {
        self.drift.as_ref().and_then(|d| d.stated.role)
    }

    /// The roles whose evidence a reader should see: the best, and the runner-up when ambiguous.
    pub fn focus_roles(&self) -> Vec<&'a str> {
        match self.status {
            Status::Match | Status::Uncertain => vec![self.role],
            Status::Ambiguous => self.roles.iter().take(2).map(|r| r.role).collect(),
            Status::None => self.roles.iter().take(1).map(|r| r.role).collect(),
        }
    }

    /// The best-weighted counted phrases of the reported role, for compact columns (at most `n`, distinct).
    pub fn top_phrases(&self, n: usize) -> &[std::borrow::Cow<'a, str>] {
        &self.top[..n.min(self.top.len())]
    }
}

/// Renders reports. One printer per output stream; `finish` once at the end.
pub trait Printer {
    /// Writes one posting's report.
    fn print(&mut self, report: &Report<'_>) -> io::Result<()>;
    /// Flushes whatever the format needs at the end.
    fn finish(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{Report, Uncounted};
    use crate::{Posting, Session};

    #[test]
    fn a_base_role_named_beside_its_refinement_is_an_alias() {
        let rules = crate::default_rules().unwrap();
        let mut scanner = Session::new(&rules);
        let mut names = |text: &str| -> Vec<(String, Option<Uncounted>)> {
            let c = scanner.classify(Posting { text, title: None });
            let r = Report::new(&c, text, "-", None);
            r.evidence.iter().filter(|e| e.kind == "name").map(|e| (e.text.to_string(), e.uncounted)).collect()
        };
        let got = names("Tech Owner / Technical Lead for the payments domain.");
        assert_eq!(got, vec![("Tech Owner".into(), None), ("Technical Lead".into(), Some(Uncounted::Alias))]);
        let got = names("Product Owner & Technical Product Owner wanted.");
        assert_eq!(got[0], ("Product Owner".into(), Some(Uncounted::Alias)), "either order: {got:?}");
        // Roles that do not refine each other: a dual job, both named.
        let got = names("Product Owner / Scrum Master for two teams.");
        assert!(got.iter().all(|(_, why)| why.is_none()), "{got:?}");
        // Not joined: two mentions.
        let got = names("Tech Owner, working with the Technical Lead.");
        assert_eq!(got[1].1, Some(Uncounted::SomeoneElse), "{got:?}");
    }

    #[test]
    fn every_uncounted_span_says_why() {
        let rules = crate::default_rules().unwrap();
        let mut scanner = Session::new(&rules);
        let text = "Acceptance criteria matter here. You report to the CTO. Acceptance criteria again, always. \
            There is no people management in this role. You will evaluate technical options. You bring five years \
            as a Scrum Master. We are a bank of 200 people. Our tech lead pairs with the data team.";
        let c = scanner.classify(Posting { text, title: None });
        let r = Report::new(&c, text, "-", None);
        // The reason on `role`'s nth span of `words`.
        let why = |role: &str, words: &str, nth: usize| {
            let of = |e: &&super::EvidenceItem<'_>| e.role == role && e.text.eq_ignore_ascii_case(words);
            r.evidence.iter().filter(of).nth(nth).map(|e| e.uncounted)
        };
        assert_eq!(why("product-owner", "acceptance criteria", 0), Some(None), "the first one counts");
        assert_eq!(why("product-owner", "acceptance criteria", 1), Some(Some(Uncounted::Repeated)));
        let inside = why("technical-product-owner", "technical options", 0);
        assert_eq!(inside, Some(Some(Uncounted::InsideLonger)), "inside \"evaluate technical options\"");
        assert_eq!(why("cto", "CTO", 0), Some(Some(Uncounted::SomeoneElse)));
        assert_eq!(why("engineering-manager", "people management", 0), Some(Some(Uncounted::Negated)));
        assert_eq!(why("scrum-master", "Scrum Master", 0), Some(Some(Uncounted::PastJob)));
        assert_eq!(why("tech-lead", "tech lead", 0), Some(Some(Uncounted::Boilerplate)), "company prose names no job");
        // Counted evidence has no reason, and every uncounted one has one.
        assert!(r.evidence.iter().all(|e| e.counted == e.uncounted.is_none()));
    }
}
