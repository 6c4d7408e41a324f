//! Two roles on one posting, side by side: what tipped the verdict between them (`rolecall explain --role A --vs B`).
//!
//! Close pairs (a technical product owner and the product owner whose work it includes, a tech owner and a tech
//! lead) share most of their evidence; what decides between them is the evidence in each role's *distinguishing*
//! areas and, for a role that `builds_on` the other, the share of the base role's evidence it counts. A
//! [`Comparison`] gathers exactly that, and one counterfactual, computed rather than guessed: the two scores with
//! the leader's distinguishing evidence blanked out of the text (same byte offsets, spaces instead of the phrases),
//! which says whether that evidence is what made the difference.

use crate::posting::Posting;
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
    pub fn new(scanner: &mut Scanner<'r>, c: &Classification<'r>, text: &str, a: RoleIdx, b: RoleIdx) -> Self {
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
            let c2 = scanner.classify(Posting::new(&blanked));
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
        let mut scanner = Scanner::new(&rules);
        let c = scanner.classify(Posting::new(text));
        let cmp = Comparison::new(&mut scanner, &c, text, po, tpo);
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
        let mut scanner = Scanner::new(&rules);
        let c = scanner.classify(Posting::new(text));
        let cmp = Comparison::new(&mut scanner, &c, text, tpo, po);
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
