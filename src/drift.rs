//! Title drift for one posting: the role its title states against the role its body describes.
//!
//! The stated role comes from the title ([`crate::title`]); the body role from the classifier on **responsibility
//! evidence alone** ([`Basis::Responsibilities`]): a body that names its own title ("as our Product Owner you
//! will ...") repeats what the employer calls the job, which is not evidence of the work. Name mentions are still
//! found and reported beside the evidence (kind `name`).
//!
//! A drift is flagged only when the body clearly describes another job, so that a flag is worth a reader's time:
//! - `none`: the body's role is a stated role or one the title also names ("Project Manager - Scrum Master,
//!   Coaching": [`TitleReading::also_named`]), or the stated role fits the body in good part, or the stated
//!   role's own work is present in the body (its distinguishing areas testify: a staff engineer who also leads, a
//!   financial analyst who models data; not for a refining pair of one family, below), or one role builds on the
//!   other across two families (one trade at two rungs: an engineer and the tech lead or engineering manager of
//!   such engineers) and the stated role reaches [`LADDER_RATIO`] of the body's score, or the two are sibling
//!   roles of one trade ([`crate::ruleset::SIBLING_FAMILIES`]: a software engineer's ad that reads like a data
//!   engineer's: both are engineering, the title fits), or the title itself names the domain of a body role of
//!   another family ("Engineering Manager, Machine Learning" over a body full of machine learning; "Data
//!   Architect" over a data engineer's body: a field word from a role's `[titles] fields`, or another role's
//!   phrase beside the title's role; or a field whose trade's title covers the body role, below: "ERP Business
//!   Analyst" over a finance body), or the title's role is in common use for the body role's work (`[titles]
//!   covers`: "Solutions Architect" over a hands-on engineer's body, "Business Analyst" over reporting and BI).
//!   "In good part" is at least [`DRIFT_RATIO`] of the body role's score for a role of another family; for a
//!   neighbour in the same focus family, or a role that builds on the stated one (a technical product owner does a product owner's work and more), the stated role must come within
//!   [`crate::score::AMBIGUOUS_RATIO`]: these close pairs are what drift is for, and the stated role always
//!   scores well on a superset of its work;
//! - `near`: a different role of the same family (product-owner ↔ technical-product-owner);
//! - `far`: a role of another family, unless the title is an umbrella (`[titles] umbrella`: "Operations
//!   Manager", "Program Manager" name a function of every trade), which leaves the drift `unknown`;
//! - `unknown`: the title names no role (or an ambiguous one), or the body fits none, or it does not testify
//!   clearly: its verdict is `uncertain` (below `--min-confidence`) or ambiguous, its role is not distinguished
//!   (evidence only in shared areas), or its best
//!   score is below [`DRIFT_MIN_SCORE`] or rests on fewer than [`DRIFT_MIN_PHRASES`] distinct phrases.
//!
//! The strength says how much better the body fits its own role than the stated one:
//! `(body score − stated role's score) / body score`, in [0, 1]; 0 without drift, absent when unknown.
//!
//! [`DriftReport`] is the serialised form, one JSON object per posting:
//!
//! | field | type | meaning |
//! |---|---|---|
//! | `title` | string | the title as given |
//! | `stated` | object | `{status, role, also, candidates, also_named, seniority, parts}` from the title: `status` is `match`, `dual`, `ambiguous` or `none`; `role`/`also` role ids or null; `also_named` other roles the title names apart from its own; `seniority` `{level, text}` or null; `parts` `[{kind, text}]` kept apart from the role |
//! | `body` | object | `{role, family, status, score}`: the responsibility-only verdict (`other` when none) |
//! | `drift` | string | `none`, `near`, `far` or `unknown` |
//! | `strength` | number or null | see above |
//! | `why` | string | the rule that decided it: `same-role`, `also-named`, `fits-in-part`, `siblings`, `title-domain`, `covers`, `ladder`, `stated-present` (none); `no-title-role`, `no-body-role`, `uncertain`, `unclear-body`, `umbrella` (unknown); `drifted` (near, far) |
//! | `stated_score` | number | the stated role's responsibility score in the body |
//! | `body_evidence` | array of strings | the body role's best phrases |
//! | `stated_evidence` | array of strings | the stated role's best phrases in the body |
//! | `name_mentions` | array | `{role, text}`: names of roles in the body, shown beside the evidence, never counted |
//! | `rules` | string | the rule set's hash |

use crate::ruleset::{RoleIdx, RuleSet};
use crate::scan::HitKind;
use crate::score::{Basis, Classification, Status, AMBIGUOUS_RATIO};

/// The stated role fits the body in good part (no drift) when it scores at least this share of the body's role.
pub const DRIFT_RATIO: f64 = 0.5;

/// For a refining pair of two families (an engineer and the lead or manager of engineers), the share of the body's
/// score the stated role must reach for its title to fit: a fifth, where another family's role needs
/// [`DRIFT_RATIO`].
pub const LADDER_RATIO: f64 = 0.2;
/// A body testifies to a drift only with at least this much responsibility evidence for its own role (about three
/// areas covered); a thinner body leaves the drift `unknown`.
pub const DRIFT_MIN_SCORE: f64 = 3.0;
/// ... and from at least this many distinct phrases of its role: a score carried by one or two strong phrases
/// ("technical trade-offs", "solution architecture") is a hint of the work, not a description of another job.
pub const DRIFT_MIN_PHRASES: usize = 3;
/// A stated role that marks no distinguishing areas is present in the body when its responsibility evidence reaches
/// this much (about two specific phrases in a central area).
pub const STATED_PRESENT: f64 = 1.5;
use crate::title::{StatedLine, TitleReading, TitleStatus};
use serde::Serialize;

/// How far the body is from the title.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Drift {
    /// Same role.
    None,
    /// Another role of the same family.
    Near,
    /// A role of another family.
    Far,
    /// Title or body unresolved.
    Unknown,
}

impl Drift {
    /// The class as in output.
    pub fn as_str(&self) -> &'static str {
        match self {
            Drift::None => "none",
            Drift::Near => "near",
            Drift::Far => "far",
            Drift::Unknown => "unknown",
        }
    }

    /// Whether the posting drifted (near or far).
    pub fn drifted(&self) -> bool {
        matches!(self, Drift::Near | Drift::Far)
    }
}

/// Why a posting's drift reads as it does: the rule of the module docs that decided it (the first that applies,
/// in their order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Why {
    /// `unknown`: the title names no role, or an ambiguous one.
    NoTitleRole,
    /// `unknown`: the body fits no role.
    NoBodyRole,
    /// `unknown`: the body's verdict is below `--min-confidence`.
    Uncertain,
    /// `none`: the body's role is a stated role.
    SameRole,
    /// `none`: the title also names the body's role, apart from its own.
    AlsoNamed,
    /// `unknown`: the body does not testify clearly (ambiguous, undistinguished, below [`DRIFT_MIN_SCORE`], or
    /// from fewer than [`DRIFT_MIN_PHRASES`] phrases).
    UnclearBody,
    /// `none`: the stated role scores a good part of the body's role.
    FitsInPart,
    /// `none`: sibling roles of one trade.
    Siblings,
    /// `none`: the title names the body role's field.
    TitleDomain,
    /// `none`: the title is in common use for the body role's work (`[titles] covers`).
    Covers,
    /// `none`: one trade at two rungs, and the stated rung reaches [`LADDER_RATIO`] of the body's score.
    Ladder,
    /// `none`: the stated role's own distinguishing work is present in the body.
    StatedPresent,
    /// `unknown`: an umbrella title over another family's body.
    Umbrella,
    /// `near` or `far`: the body clearly describes another job.
    Drifted,
}

impl Why {
    /// Every reason, in declaration order (`Why::ALL[w as usize] == w`).
    pub const ALL: [Why; 14] = [
        Why::NoTitleRole,
        Why::NoBodyRole,
        Why::Uncertain,
        Why::SameRole,
        Why::AlsoNamed,
        Why::UnclearBody,
        Why::FitsInPart,
        Why::Siblings,
        Why::TitleDomain,
        Why::Covers,
        Why::Ladder,
        Why::StatedPresent,
        Why::Umbrella,
        Why::Drifted,
    ];

    /// The reason as in output.
    pub fn as_str(&self) -> &'static str {
        match self {
            Why::NoTitleRole => "no-title-role",
            Why::NoBodyRole => "no-body-role",
            Why::Uncertain => "uncertain",
            Why::SameRole => "same-role",
            Why::AlsoNamed => "also-named",
            Why::UnclearBody => "unclear-body",
            Why::FitsInPart => "fits-in-part",
            Why::Siblings => "siblings",
            Why::TitleDomain => "title-domain",
            Why::Covers => "covers",
            Why::Ladder => "ladder",
            Why::StatedPresent => "stated-present",
            Why::Umbrella => "umbrella",
            Why::Drifted => "drifted",
        }
    }

    /// The drift class this rule gives: `none`, `unknown`, or `near/far` for [`Why::Drifted`].
    pub fn class(&self) -> &'static str {
        match self {
            Why::SameRole
            | Why::AlsoNamed
            | Why::FitsInPart
            | Why::Siblings
            | Why::TitleDomain
            | Why::Covers
            | Why::Ladder
            | Why::StatedPresent => "none",
            Why::NoTitleRole | Why::NoBodyRole | Why::Uncertain | Why::UnclearBody | Why::Umbrella => "unknown",
            Why::Drifted => "near/far",
        }
    }

    /// The reason in words, for people.
    pub fn says(&self) -> &'static str {
        match self {
            Why::NoTitleRole => "the title names no role, or an ambiguous one",
            Why::NoBodyRole => "the body fits no role",
            Why::Uncertain => "the body's verdict is below the confidence asked for",
            Why::SameRole => "the body does the stated role's work",
            Why::AlsoNamed => "the title also names the body's role",
            Why::UnclearBody => "the body does not testify clearly (ambiguous, undistinguished or thin)",
            Why::FitsInPart => "the stated role's work makes up a good part of the body",
            Why::Siblings => "sibling roles of one trade",
            Why::TitleDomain => "the title names the body's field",
            Why::Covers => "the title is in common use for the body's work",
            Why::Ladder => "one trade at two rungs, and the title's rung shows",
            Why::StatedPresent => "the stated role's own work is present in the body",
            Why::Umbrella => "an umbrella title: it names a function of every trade, not a trade",
            Why::Drifted => "the body clearly describes another job",
        }
    }
}

/// The drift of one posting.
#[derive(Debug, Clone)]
pub struct DriftReading<'r> {
    /// What the title says.
    pub title: TitleReading,
    /// The body's responsibility-only classification.
    pub body: Classification<'r>,
    /// The drift class.
    pub drift: Drift,
    /// How much better the body fits its own role than the stated one (see the module docs).
    pub strength: Option<f64>,
    /// The stated role's responsibility score in the body (the better of a dual title's two).
    pub stated_score: f64,
    /// The stated role's own work is present in the body: its distinguishing areas testify (or, for a role that
    /// marks none, its responsibilities reach [`STATED_PRESENT`]). A body that leans elsewhere then still fits its
    /// title in part and is not flagged, unless the two roles are a refining pair of one family.
    pub stated_present: bool,
    /// The rule that decided the drift.
    pub why: Why,
}

impl<'r> DriftReading<'r> {
    /// Compares a title reading with a body classification made on [`Basis::Responsibilities`].
    pub fn assess(rules: &'r RuleSet, title: TitleReading, body: Classification<'r>) -> DriftReading<'r> {
        debug_assert!(std::ptr::eq(body.rules, rules));
        let score_of = |r: RoleIdx| body.ranking.iter().find(|s| s.role == r).map_or(0.0, |s| s.score);
        let stated: Vec<RoleIdx> = title.role.into_iter().chain(title.also).collect();
        let stated_score = stated.iter().map(|&r| score_of(r)).fold(0.0, f64::max);
        let best = body.score();
        let resolved = matches!(title.status, TitleStatus::Match | TitleStatus::Dual);
        let mut stated_present = false;
        let (drift, strength, why) = match body.role {
            Some(b) if resolved => {
                let family = &rules.roles()[b as usize].family;
                let near = stated.iter().any(|&r| rules.roles()[r as usize].family == *family);
                let siblings = near && crate::ruleset::SIBLING_FAMILIES.contains(&family.as_str());
                // The title names the body role's field ("Data Architect" over a data engineer's body). Not within
                // one family: "Product Owner" names the product field, and a product manager's body under it is
                // the drift this is for.
                // So does a field of a trade whose title is in common use for the body role's work: "ERP Business
                // Analyst" over a finance body (an ERP consultant's title `covers` finance). Not the stated role's
                // own fields (its `covers` is the rule below), nor an umbrella's (a function of every trade).
                let field_covers = |d: RoleIdx| {
                    let r = &rules.roles()[d as usize];
                    !stated.contains(&d) && !r.title_umbrella && r.title_covers.contains(&b)
                };
                let domain = !near && title.domains.iter().any(|&d| d == b || field_covers(d));
                // The title's role is in common use for the body role's work (`[titles] covers`: "Solutions
                // Architect" over an engineer's body, "Business Analyst" over reporting and BI).
                let covers = stated.iter().any(|&r| rules.roles()[r as usize].title_covers.contains(&b));
                // One role refines the other (`builds_on`, either way round): the close pairs drift is for.
                let superset = stated.iter().any(|&r| {
                    rules.roles()[b as usize].builds_on.contains(&r) || rules.roles()[r as usize].builds_on.contains(&b)
                });
                // The stated role's own work is present: its distinguishing areas testify (or, for a role that marks
                // none, its responsibilities reach STATED_PRESENT). Then the title fits in part and the body only
                // leans elsewhere (a staff engineer who leads, a financial analyst who models data).
                let present = stated.iter().any(|&r| {
                    body.ranking.iter().find(|s| s.role == r).is_some_and(|s| {
                        let declares = rules.roles()[r as usize].areas.iter().any(|a| a.distinguishing);
                        if declares {
                            !s.undistinguished
                        } else {
                            s.responsibility >= STATED_PRESENT
                        }
                    })
                });
                stated_present = present;
                // A refining pair across families is one trade at two rungs (an engineer and the engineering manager
                // or tech lead of such engineers, a business analyst and an ERP consultant): engineers lead and
                // leads engineer, so once the stated rung's own work shows ([`LADDER_RATIO`] of the body's score),
                // a reader takes the title as a fair name for the body.
                let ladder = superset && !near && stated_score >= LADDER_RATIO * best;
                let ratio = if near || superset { AMBIGUOUS_RATIO } else { DRIFT_RATIO };
                let distinguished = body.ranking.first().is_some_and(|s| s.role == b && !s.undistinguished);
                // How many distinct phrases of the body's role carry its score.
                let phrases: u32 =
                    body.ranking.iter().find(|s| s.role == b).map_or(0, |s| s.areas.iter().map(|a| a.phrases).sum());
                let fits = if stated_score >= ratio * best {
                    Some(Why::FitsInPart)
                } else if siblings {
                    Some(Why::Siblings)
                } else if domain {
                    Some(Why::TitleDomain)
                } else if covers {
                    Some(Why::Covers)
                } else if ladder {
                    Some(Why::Ladder)
                } else if present && !(superset && near) {
                    Some(Why::StatedPresent)
                } else {
                    None
                };
                if body.status == Status::Uncertain {
                    // Below the confidence the caller asked for: the body testifies neither way.
                    (Drift::Unknown, None, Why::Uncertain)
                } else if stated.contains(&b) {
                    (Drift::None, Some(0.0), Why::SameRole)
                } else if title.also_named.contains(&b) {
                    (Drift::None, Some(0.0), Why::AlsoNamed)
                } else if body.status != Status::Match
                    || !distinguished
                    || best < DRIFT_MIN_SCORE
                    || (phrases as usize) < DRIFT_MIN_PHRASES
                {
                    // A body that does not testify clearly says neither "drift" nor "fits".
                    (Drift::Unknown, None, Why::UnclearBody)
                } else if let Some(why) = fits {
                    (Drift::None, Some(0.0), why)
                } else if !near && stated.iter().any(|&r| rules.roles()[r as usize].title_umbrella) {
                    // An umbrella title ("Operations Manager") does not say which trade: another family's body
                    // under it neither drifts nor fits.
                    (Drift::Unknown, None, Why::Umbrella)
                } else {
                    let strength = ((best - stated_score) / best).clamp(0.0, 1.0);
                    (if near { Drift::Near } else { Drift::Far }, Some(strength), Why::Drifted)
                }
            }
            _ if !resolved => (Drift::Unknown, None, Why::NoTitleRole),
            _ => (Drift::Unknown, None, Why::NoBodyRole),
        };
        DriftReading { title, body, drift, strength, stated_score, stated_present, why }
    }

    /// The stated role (the first of a dual title).
    pub fn stated_role(&self) -> Option<RoleIdx> {
        self.title.role
    }

    /// The role names the body mentions (role, original text span), in text order; never counted here.
    pub fn name_mentions(&self) -> Vec<(RoleIdx, usize, usize)> {
        self.body
            .evidence
            .iter()
            .filter_map(|e| match e.hit.kind {
                // Not about someone else, not inside a longer name ("program manager" in "technical program manager").
                HitKind::Name { role } if !e.hit.elsewhere && e.weight > 0.0 => Some((role, e.hit.start, e.hit.end)),
                _ => None,
            })
            .collect()
    }
}

/// The serialised drift of one posting (schema in the module docs).
#[derive(Debug, Clone, Serialize)]
pub struct DriftReport<'a> {
    /// The title as given.
    pub title: &'a str,
    /// What the title states.
    pub stated: StatedLine<'a>,
    /// The body's responsibility-only verdict.
    pub body: BodyLine<'a>,
    /// The drift class.
    pub drift: Drift,
    /// Drift strength.
    pub strength: Option<f64>,
    /// The rule that decided the drift.
    pub why: Why,
    /// The stated role's responsibility score.
    pub stated_score: f64,
    /// The body role's best phrases.
    pub body_evidence: Vec<std::borrow::Cow<'a, str>>,
    /// The stated role's best phrases.
    pub stated_evidence: Vec<std::borrow::Cow<'a, str>>,
    /// Role names mentioned in the body.
    pub name_mentions: Vec<NameMention<'a>>,
    /// Rule-set hash.
    pub rules: &'a str,
}

/// The body's verdict.
#[derive(Debug, Clone, Serialize)]
pub struct BodyLine<'a> {
    /// Role id or `other`.
    pub role: &'a str,
    /// Family or `other`.
    pub family: &'a str,
    /// match / ambiguous / none.
    pub status: crate::score::Status,
    /// Best responsibility score.
    pub score: f64,
}

/// A role name found in the body.
#[derive(Debug, Clone, Serialize)]
pub struct NameMention<'a> {
    /// The role named.
    pub role: &'a str,
    /// The words in the body.
    pub text: &'a str,
}

/// How many phrases each evidence list keeps.
pub const EVIDENCE_PHRASES: usize = 5;

impl<'a> DriftReport<'a> {
    /// The report of `d`, for a posting with `title` and body `text`.
    pub fn new(d: &DriftReading<'a>, title: &'a str, text: &'a str) -> DriftReport<'a> {
        let rules = d.body.rules;
        let id = |r: RoleIdx| rules.roles()[r as usize].id.as_str();
        DriftReport {
            title,
            stated: StatedLine::new(rules, &d.title, title),
            body: BodyLine {
                role: d.body.role_id(),
                family: d.body.family(),
                status: d.body.status,
                score: crate::score::round4(d.body.score()),
            },
            drift: d.drift,
            strength: d.strength.map(crate::score::round4),
            why: d.why,
            stated_score: crate::score::round4(d.stated_score),
            body_evidence: d.body.top_phrases(text, EVIDENCE_PHRASES),
            stated_evidence: d.stated_role().map_or(Vec::new(), |r| d.body.phrases_for(r, text, EVIDENCE_PHRASES)),
            name_mentions: d
                .name_mentions()
                .into_iter()
                .map(|(r, s, e)| NameMention { role: id(r), text: &text[s..e] })
                .collect(),
            rules: rules.hash(),
        }
    }
}

/// The basis drift scores bodies on.
pub const BASIS: Basis = Basis::Responsibilities;

#[cfg(test)]
mod tests {
    use super::{Drift, Why, DRIFT_MIN_PHRASES, DRIFT_MIN_SCORE};
    use crate::{compile, Session, Source};

    #[test]
    fn a_drift_needs_several_phrases_of_the_body_s_role() {
        let role = |id: &str, family: &str, areas: &[(&str, &str)]| {
            let mut s =
                format!("id = \"{id}\"\nname = \"{id}\"\nfamily = \"{family}\"\nsummary = \"s\"\nnames = [\"{id}\"]\n");
            for (aid, phrase) in areas {
                s += &format!("[[areas]]\nid = \"{aid}\"\nname = \"{aid}\"\nweight = 3.0\nphrases = [\"{phrase}\"]\n");
            }
            Source { name: format!("{id}.toml"), text: s }
        };
        let cook = role(
            "cook",
            "kitchen",
            &[("plating", "plate desserts"), ("pass", "run the pass"), ("stock", "order the stock")],
        );
        let coder = role("coder", "engineering", &[("code", "write code")]);
        let rs = compile(&[cook, coder]).unwrap().rules;
        let mut session = Session::new(&rs);
        // Two strong phrases of another job score above the floor, yet are a hint of the work, not a description.
        let two = session.drift("Coder", "You plate desserts and run the pass on busy nights.");
        assert_eq!(two.body.role_id(), "cook");
        assert!(two.body.score() >= DRIFT_MIN_SCORE, "{}", two.body.score());
        assert_eq!((two.drift, two.why), (Drift::Unknown, Why::UnclearBody));
        // A third phrase makes it a description of another job: a far drift.
        assert_eq!(DRIFT_MIN_PHRASES, 3);
        let three = session.drift("Coder", "You plate desserts, run the pass and order the stock each week.");
        assert_eq!((three.body.role_id(), three.drift, three.why), ("cook", Drift::Far, Why::Drifted));
    }

    #[test]
    fn every_reason_is_listed_once_in_order() {
        for (i, w) in Why::ALL.iter().enumerate() {
            assert_eq!(*w as usize, i, "{w:?}");
            // The JSON name is the one the tables and CSV print.
            assert_eq!(serde_json::to_string(w).unwrap(), format!("\"{}\"", w.as_str()));
        }
        let mut names: Vec<&str> = Why::ALL.iter().map(Why::as_str).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Why::ALL.len());
    }
}
