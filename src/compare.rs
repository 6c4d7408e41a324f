//! Two roles on one posting, side by side: what tipped the verdict between them (`rolecall explain --role A --vs B`).
//!
//! Close pairs (a technical product owner and the product owner whose work it includes, a tech owner and a tech
//! lead) share most of their evidence; what decides between them is the evidence in each role's *distinguishing*
//! areas and, for a role that `builds_on` the other, the share of the base role's evidence it counts. A
//! [`Comparison`] gathers exactly that, and one counterfactual, computed rather than guessed: the two scores with
//! the leader's distinguishing evidence blanked out of the text (same byte offsets, spaces instead of the phrases),
//! which says whether that evidence is what made the difference.

use crate::ruleset::RoleIdx;
use crate::scan::{HitKind, Scanner};
use crate::score::{Classification, RoleScore};

/// One distinguishing area of a role and the evidence that counted in it.
#[derive(Debug, Clone, PartialEq)]
pub struct DistinguishingArea<'r> {
    /// Index of the area in its role.
    pub area: u16,
    /// The area's score in the posting (0 when nothing counted).
    pub score: f64,
    /// The counted evidence: (byte start, byte end, the rule phrase), in text order.
    pub evidence: Vec<(usize, usize, &'r str)>,
}

/// One side of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct Side<'r> {
    /// The role.
    pub role: RoleIdx,
    /// Its score and breakdown, or `None` when the posting holds no evidence for it.
    pub score: Option<RoleScore>,
    /// Every distinguishing area of the role, in rule-file order.
    pub distinguishing: Vec<DistinguishingArea<'r>>,
}

impl Side<'_> {
    /// The role's score (0 without evidence).
    pub fn total(&self) -> f64 {
        self.score.as_ref().map_or(0.0, |s| s.score)
    }
}

/// Two roles on one posting (see the module docs).
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison<'r> {
    /// The role with the higher score (the first role on a tie).
    pub lead: Side<'r>,
    /// The other role.
    pub trail: Side<'r>,
    /// `lead` builds on `trail` (its score counts a share of the trail role's evidence).
    pub lead_builds_on_trail: bool,
    /// `trail` builds on `lead`.
    pub trail_builds_on_lead: bool,
    /// The two scores (lead, trail) with the lead's counted distinguishing evidence blanked out of the text; `None`
    /// when the lead has no such evidence.
    pub without_lead_distinguishing: Option<(f64, f64)>,
}

impl<'r> Comparison<'r> {
    /// Compares roles `a` and `b` on `text`, given the text's classification `c` (made by the same scanner's
    /// rules on [`crate::score::Basis::All`]). Scans the text once more for the counterfactual.
    pub fn new(
        scanner: &mut Scanner<'r>,
        scratch: &mut crate::score::Scratch,
        c: &Classification<'r>,
        text: &str,
        a: RoleIdx,
        b: RoleIdx,
    ) -> Self {
        let side = |role: RoleIdx| {
            let score = c.ranking.iter().find(|s| s.role == role).cloned();
            let areas = &c.rules.roles()[role as usize].areas;
            let distinguishing = (0..areas.len() as u16)
                .filter(|&ai| areas[ai as usize].distinguishing)
                .map(|ai| DistinguishingArea {
                    area: ai,
                    score: score.as_ref().and_then(|s| s.areas.iter().find(|x| x.area == ai)).map_or(0.0, |x| x.score),
                    evidence: c
                        .evidence
                        .iter()
                        .filter(|e| e.counted && e.hit.kind == HitKind::Responsibility { role, area: ai })
                        .map(|e| (e.hit.start, e.hit.end, e.phrase))
                        .collect(),
                })
                .collect();
            Side { role, score, distinguishing }
        };
        let (sa, sb) = (side(a), side(b));
        let (lead, trail) = if sb.total() > sa.total() { (sb, sa) } else { (sa, sb) };
        let roles = c.rules.roles();
        let lead_builds_on_trail = roles[lead.role as usize].builds_on.contains(&trail.role);
        let trail_builds_on_lead = roles[trail.role as usize].builds_on.contains(&lead.role);
        let spans: Vec<(usize, usize)> =
            lead.distinguishing.iter().flat_map(|d| d.evidence.iter().map(|&(s, e, _)| (s, e))).collect();
        let without_lead_distinguishing = (!spans.is_empty()).then(|| {
            let blanked = blank(text, &spans);
            let c2 = crate::score::classify_with(c.rules, scanner.scan(&blanked), crate::score::Basis::All, scratch);
            let of = |r: RoleIdx| c2.ranking.iter().find(|s| s.role == r).map_or(0.0, |s| s.score);
            (of(lead.role), of(trail.role))
        });
        Comparison { lead, trail, lead_builds_on_trail, trail_builds_on_lead, without_lead_distinguishing }
    }

    /// The lead's margin over the trail.
    pub fn gap(&self) -> f64 {
        self.lead.total() - self.trail.total()
    }
}

/// The serialised comparison, as `explain --role A --vs B --format json` prints it and `POST /v1/explain` answers:
///
/// | field | type | meaning |
/// |---|---|---|
/// | `lead`, `trail` | object | `{role, score, distinguishing: [{area, name, score, evidence: [{text, phrase, start, end}]}]}`: the role with the higher score and the other; `start`/`end` are byte offsets into the posting |
/// | `lead_builds_on_trail`, `trail_builds_on_lead` | bool | one role counts a share of the other's evidence (`builds_on`) |
/// | `gap` | number | the lead's margin |
/// | `without_lead_distinguishing` | object or null | `{lead, trail}`: both scores with the lead's distinguishing evidence blanked out of the posting; null when it has none |
#[derive(Debug, Clone, serde::Serialize)]
pub struct ComparisonReport<'a> {
    /// The leading role.
    pub lead: SideLine<'a>,
    /// The trailing role.
    pub trail: SideLine<'a>,
    /// `lead` builds on `trail`.
    pub lead_builds_on_trail: bool,
    /// `trail` builds on `lead`.
    pub trail_builds_on_lead: bool,
    /// The lead's margin.
    pub gap: f64,
    /// The counterfactual scores.
    pub without_lead_distinguishing: Option<Counterfactual>,
}

/// One side of a [`ComparisonReport`].
#[derive(Debug, Clone, serde::Serialize)]
pub struct SideLine<'a> {
    /// Role id.
    pub role: &'a str,
    /// Its score (0 without evidence).
    pub score: f64,
    /// Its distinguishing areas.
    pub distinguishing: Vec<AreaEvidence<'a>>,
}

/// A distinguishing area and what counted in it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AreaEvidence<'a> {
    /// Area id.
    pub area: &'a str,
    /// Area name.
    pub name: &'a str,
    /// The area's score.
    pub score: f64,
    /// The counted evidence.
    pub evidence: Vec<SpanLine<'a>>,
}

/// A piece of evidence: the words, the rule that matched them, and where.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SpanLine<'a> {
    /// The matched words (`posting[start..end]`).
    pub text: &'a str,
    /// The phrase, pattern or proximity rule as written.
    pub phrase: &'a str,
    /// Byte start.
    pub start: usize,
    /// Byte end.
    pub end: usize,
}

/// Both scores again with the lead's distinguishing evidence blanked out.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Counterfactual {
    /// The lead's score.
    pub lead: f64,
    /// The trail's score.
    pub trail: f64,
}

impl<'a> ComparisonReport<'a> {
    /// The report of `cmp`, made on `text` with `rules`.
    pub fn new(rules: &'a crate::RuleSet, cmp: &Comparison<'a>, text: &'a str) -> ComparisonReport<'a> {
        let r4 = crate::score::round4;
        let side = |s: &Side<'a>| {
            let role = &rules.roles()[s.role as usize];
            SideLine {
                role: &role.id,
                score: r4(s.total()),
                distinguishing: s
                    .distinguishing
                    .iter()
                    .map(|d| AreaEvidence {
                        area: &role.areas[d.area as usize].id,
                        name: &role.areas[d.area as usize].name,
                        score: r4(d.score),
                        evidence: d
                            .evidence
                            .iter()
                            .map(|&(start, end, phrase)| SpanLine { text: &text[start..end], phrase, start, end })
                            .collect(),
                    })
                    .collect(),
            }
        };
        ComparisonReport {
            lead: side(&cmp.lead),
            trail: side(&cmp.trail),
            lead_builds_on_trail: cmp.lead_builds_on_trail,
            trail_builds_on_lead: cmp.trail_builds_on_lead,
            gap: r4(cmp.gap()),
            without_lead_distinguishing: cmp
                .without_lead_distinguishing
                .map(|(lead, trail)| Counterfactual { lead: r4(lead), trail: r4(trail) }),
        }
    }
}

/// What `explain --format json` prints and `POST /v1/explain` answers: the verdict, each asked role's score and
/// rank, and with two roles their [`ComparisonReport`]:
/// `{source, verdict: {role, status, score}, roles: [{role, score, rank}], comparison, rules}` (`rank` is 1-based,
/// null for a role without evidence; `comparison` is null with one role).
#[derive(Debug, Clone, serde::Serialize)]
pub struct ExplainReport<'a> {
    /// File path, `-`, or what the caller names the posting.
    pub source: &'a str,
    /// The posting's verdict.
    pub verdict: VerdictLine<'a>,
    /// The asked roles.
    pub roles: Vec<RankLine<'a>>,
    /// The two asked roles side by side.
    pub comparison: Option<ComparisonReport<'a>>,
    /// The rule set's hash.
    pub rules: &'a str,
}

/// A verdict in brief.
#[derive(Debug, Clone, serde::Serialize)]
pub struct VerdictLine<'a> {
    /// Role id or `other`.
    pub role: &'a str,
    /// `match`, `ambiguous` or `none`.
    pub status: crate::Status,
    /// The best score.
    pub score: f64,
}

/// An asked role's place in the ranking.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RankLine<'a> {
    /// Role id.
    pub role: &'a str,
    /// Its score (0 without evidence).
    pub score: f64,
    /// 1-based rank, or null without evidence.
    pub rank: Option<usize>,
}

impl<'a> ExplainReport<'a> {
    /// The report for `roles` (one or two) on `text`, classified as `c`, compared as `cmp` when two were asked.
    pub fn new(
        c: &Classification<'a>,
        roles: &[RoleIdx],
        cmp: Option<&Comparison<'a>>,
        text: &'a str,
        source: &'a str,
    ) -> ExplainReport<'a> {
        let rules = c.rules;
        let r4 = crate::score::round4;
        ExplainReport {
            source,
            verdict: VerdictLine { role: c.role_id(), status: c.status, score: r4(c.score()) },
            roles: roles
                .iter()
                .map(|&r| RankLine {
                    role: &rules.roles()[r as usize].id,
                    score: r4(c.ranking.iter().find(|s| s.role == r).map_or(0.0, |s| s.score)),
                    rank: c.ranking.iter().position(|s| s.role == r).map(|i| i + 1),
                })
                .collect(),
            comparison: cmp.map(|x| ComparisonReport::new(rules, x, text)),
            rules: rules.hash(),
        }
    }
}

/// `text` with the bytes of every span replaced by spaces (spans lie on character boundaries, so the result is
/// UTF-8 and every other byte keeps its offset).
fn blank(text: &str, spans: &[(usize, usize)]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for &(s, e) in spans {
        if s <= e && e <= bytes.len() && text.is_char_boundary(s) && text.is_char_boundary(e) {
            bytes[s..e].fill(b' ');
        }
    }
    String::from_utf8(bytes).unwrap_or_else(|_| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Posting, Session};

    fn pack() -> crate::RuleSet {
        let po = "id = \"po\"\nname = \"PO\"\nfamily = \"product\"\nsummary = \"s\"\nnames = [\"product owner\"]\n\
            [[areas]]\nid = \"backlog\"\nname = \"Backlog\"\nweight = 2.0\ndistinguishing = true\n\
            phrases = [\"product backlog\", \"user stories\"]\n";
        let tpo = "id = \"tpo\"\nname = \"TPO\"\nfamily = \"product\"\nsummary = \"s\"\nnames = [\"technical product owner\"]\n\
            builds_on = [\"po\"]\nbuilds_on_share = 0.6\n\
            [[areas]]\nid = \"tech\"\nname = \"Tech\"\nweight = 1.5\ndistinguishing = true\n\
            phrases = [\"api design\", \"technical debt\"]\n";
        let sources = vec![
            crate::Source { name: "po.toml".into(), text: po.into() },
            crate::Source { name: "tpo.toml".into(), text: tpo.into() },
        ];
        crate::compile(&sources).expect("pack compiles").rules
    }

    #[test]
    fn the_refining_role_leads_on_its_distinguishing_evidence_and_loses_without_it() {
        let rules = pack();
        let (po, tpo) = (rules.role("po").unwrap().0, rules.role("tpo").unwrap().0);
        let text =
            "You order the product backlog and write user stories. You lead API design and pay down technical debt.";
        let mut scanner = Session::new(&rules);
        let c = scanner.classify(Posting::new(text));
        let cmp = scanner.compare(&c, text, po, tpo);
        assert_eq!(cmp.lead.role, tpo, "the refining role leads: {cmp:?}");
        assert!(cmp.lead_builds_on_trail && !cmp.trail_builds_on_lead);
        assert!(cmp.gap() > 0.0);
        let found: Vec<&str> = cmp.lead.distinguishing[0].evidence.iter().map(|&(s, e, _)| &text[s..e]).collect();
        assert_eq!(found, ["API design", "technical debt"]);
        let (l, t) = cmp.without_lead_distinguishing.expect("the lead has distinguishing evidence");
        assert!(l < t, "without its own evidence the refining role falls behind: {l} vs {t}");
        assert!((t - cmp.trail.total()).abs() < 1e-9, "blanking the lead's phrases leaves the trail's score alone");
    }

    #[test]
    fn a_pure_base_posting_leads_with_the_base_role_and_its_counterfactual_lowers_the_base_role() {
        let rules = pack();
        let (po, tpo) = (rules.role("po").unwrap().0, rules.role("tpo").unwrap().0);
        let text = "You order the product backlog and write user stories with the team.";
        let mut scanner = Session::new(&rules);
        let c = scanner.classify(Posting::new(text));
        let cmp = scanner.compare(&c, text, tpo, po);
        assert_eq!(cmp.lead.role, po);
        assert!(cmp.trail_builds_on_lead);
        assert!(cmp.trail.distinguishing.iter().all(|d| d.evidence.is_empty() && d.score == 0.0));
        let (l, t) = cmp.without_lead_distinguishing.expect("the PO's backlog phrases are distinguishing");
        assert!(l < cmp.lead.total() && t <= cmp.trail.total());
    }

    #[test]
    fn blanking_keeps_offsets_and_utf8() {
        let t = "Überblick: API design – ok";
        let s = t.find("API").unwrap();
        let b = blank(t, &[(s, s + 10), (0, 1)]);
        assert_eq!(b.len(), t.len());
        assert_eq!(&b[s..s + 10], "          ");
        assert!(b.ends_with("– ok"));
        assert_eq!(blank(t, &[(1, 2)]), t, "a span off a character boundary is left alone");
    }
}
