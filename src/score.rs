//! Scoring: hits → per-role area coverage → a ranked verdict with status and confidence.
//!
//! The model, in full:
//!
//! * Each hit is worth `specificity × context`, where specificity is `k^-0.5` for a phrase that `k` roles list
//!   (computed at compile time) and context is 0 for a negated mention (and for a name mention about someone else,
//!   "reports to the CTO"), [`BOILERPLATE_FACTOR`] inside boilerplate and 1 otherwise. A phrase counts **once** per
//!   posting (its best occurrence; every form of a `word~` phrase is that phrase), however often it repeats, and a
//!   phrase inside a longer phrase of the same area counts nothing (a proximity pair does not swallow the words
//!   between its sides, and a negative cue is never swallowed).
//! * An area's evidence `x` (the sum of its distinct phrases' worth) **saturates**:
//!   `area score = weight × (1 − e^(−x / SATURATION))`, so a second area covered is worth more than a tenth
//!   phrase in the first. A role's *responsibility* score is the sum of its area scores.
//! * The role's score adds [`NAME_WEIGHT`] when the body names the role ("as our Product Owner"; not negated, not
//!   boilerplate, not someone else), is multiplied by [`NEGATIVE_FACTOR`] per distinct negative cue, and, for a role
//!   that `builds_on` others (a tech lead does an engineer's work, and leads), adds its `builds_on_share`
//!   (default [`BUILDS_ON_FACTOR`]) times the best responsibility score among those roles.
//! * The verdict: `none` (role `other`) when the best score is below [`MIN_SCORE`]; `ambiguous` when the
//!   runner-up reaches [`AMBIGUOUS_RATIO`] of the best; otherwise `match`.
//! * **Confidence** (in [0, 1]) says how safe the reported role is. For `match` and `ambiguous`:
//!   `strength × separation`, with `strength = 1 − e^(−best / STRENGTH_SCALE)` (how much evidence there is) and
//!   `separation = 1 − runner_up / best` (how clearly the best beats the next role). For `none` it is
//!   `1 − best / MIN_SCORE`: how clearly nothing fits (1.0 for a text with no evidence at all).
//!
//! The constants were set once, on the whole development set, never per posting (see the README's "Measuring").

use crate::ruleset::{RoleIdx, RuleSet};
use crate::scan::{Hit, HitKind, Signal};
use std::borrow::Cow;

/// Rounds to 4 decimals, as every score and confidence is printed (in every output, by every layer above).
pub(crate) fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// Saturation scale of an area's evidence (see the module docs).
pub const SATURATION: f64 = 1.0;
/// Context factor of evidence inside boilerplate.
pub const BOILERPLATE_FACTOR: f64 = 0.1;
/// Added to a role's score when the body names the role.
pub const NAME_WEIGHT: f64 = 2.0;
/// Factor applied to a role's score per distinct negative cue.
pub const NEGATIVE_FACTOR: f64 = 0.7;
/// Below this best score the verdict is `none` (role `other`).
pub const MIN_SCORE: f64 = 1.5;
/// Runner-up at or above this share of the best score makes the verdict `ambiguous`.
pub const AMBIGUOUS_RATIO: f64 = 0.9;
pub use crate::ruleset::BUILDS_ON_FACTOR;
/// Scale of the strength part of the confidence.
pub const STRENGTH_SCALE: f64 = 3.0;
pub use crate::ruleset::MIN_DISTINGUISHING;
/// Factor on the score of a role that declares distinguishing areas but is not distinguished: evidence only in
/// areas its neighbours share (stakeholders, roadmaps, mentoring) does not make a verdict.
pub const UNDISTINGUISHED_FACTOR: f64 = 0.5;

/// The verdict's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// One role clearly fits best.
    Match,
    /// The top two roles are too close to call; both are shown.
    Ambiguous,
    /// No role fits: the answer is `other`.
    None,
    /// A role leads, but its confidence is below the minimum the caller asked for (`--min-confidence`): the role
    /// is the best guess, reported apart from both a verdict and `other`.
    Uncertain,
}

impl Status {
    /// `match`, `ambiguous`, `none` or `uncertain`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Match => "match",
            Status::Ambiguous => "ambiguous",
            Status::None => "none",
            Status::Uncertain => "uncertain",
        }
    }
}

/// One area's part of a role's score.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaScore {
    /// Index of the area in its role.
    pub area: u16,
    /// Sum of the worth of the distinct phrases found (before saturation).
    pub evidence: f64,
    /// `weight × (1 − e^(−evidence / SATURATION))`.
    pub score: f64,
    /// Distinct phrases that counted.
    pub phrases: u32,
}

/// One role's score.
#[derive(Debug, Clone, PartialEq)]
pub struct RoleScore {
    /// The role.
    pub role: RoleIdx,
    /// The score (see the module docs).
    pub score: f64,
    /// Share of the role's total area weight that the posting covers, in [0, 1].
    pub coverage: f64,
    /// Every area of the role, in rule-file order.
    pub areas: Vec<AreaScore>,
    /// Distinct name mentions that counted.
    pub names: u32,
    /// Distinct negative cues found.
    pub negatives: u32,
    /// Sum of the area scores: the responsibility evidence alone (no name mention, no `builds_on` share).
    pub responsibility: f64,
    /// The role this one builds on whose score contributed, and the contribution.
    pub base: Option<(RoleIdx, f64)>,
    /// The role declares distinguishing areas and the posting has too little evidence in them (and does not name
    /// the role): its score was multiplied by [`UNDISTINGUISHED_FACTOR`].
    pub undistinguished: bool,
}

/// A hit with what it is worth.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evidence<'r> {
    /// The hit (kind, span, negated, boilerplate).
    pub hit: Hit,
    /// The phrase or pattern as written in the rule file.
    pub phrase: &'r str,
    /// What it adds to its area before saturation (`specificity × context`).
    pub weight: f64,
    /// False for a repeat of a phrase already counted, for evidence inside a longer piece of evidence of the same
    /// role, and for negated mentions.
    pub counted: bool,
}

/// The result of classifying one posting.
#[derive(Debug, Clone)]
pub struct Classification<'r> {
    /// The rule set used.
    pub rules: &'r RuleSet,
    /// What counted towards the scores.
    pub basis: Basis,
    /// match / ambiguous / none.
    pub status: Status,
    /// The best role, or `None` for `other`.
    pub role: Option<RoleIdx>,
    /// In [0, 1]; see the module docs.
    pub confidence: f64,
    /// Every role with a positive score, best first (ties: pack order).
    pub ranking: Vec<RoleScore>,
    /// Every hit, ascending by position.
    pub evidence: Vec<Evidence<'r>>,
}

impl Classification<'_> {
    /// The same classification, `uncertain` when a role leads with a confidence below `min` (a `match` or an
    /// `ambiguous` verdict alike; `none` stays `none`). `None` leaves it as it is.
    pub fn with_min_confidence(mut self, min: Option<f64>) -> Self {
        if let Some(min) = min {
            if self.role.is_some() && self.confidence < min {
                self.status = Status::Uncertain;
            }
        }
        self
    }
}

impl<'r> Classification<'r> {
    /// The reported role id (`other` when none fits).
    pub fn role_id(&self) -> &'r str {
        self.role.map_or("other", |r| self.rules.roles[r as usize].id.as_str())
    }

    /// The reported role's family (`other` when none fits).
    pub fn family(&self) -> &'r str {
        self.role.map_or("other", |r| self.rules.roles[r as usize].family.as_str())
    }

    /// The best role's score (0 without evidence).
    pub fn score(&self) -> f64 {
        self.ranking.first().map_or(0.0, |r| r.score)
    }

    /// The reported role's best distinct phrases in `text` (the posting classified), by worth (at most `n`): for
    /// compact columns. A phrase reads as the rule wrote it, a name mention as `name: <phrase>`; a regex's evidence
    /// as the words it matched.
    pub fn top_phrases<'a>(&self, text: &'a str, n: usize) -> Vec<Cow<'a, str>>
    where
        'r: 'a,
    {
        match self.role {
            Some(role) => self.phrases_for(role, text, n),
            None => Vec::new(),
        }
    }

    /// `role`'s best distinct counted phrases in `text`, by worth (at most `n`; see [`Self::top_phrases`]).
    pub fn phrases_for<'a>(&self, role: RoleIdx, text: &'a str, n: usize) -> Vec<Cow<'a, str>>
    where
        'r: 'a,
    {
        let mut items: Vec<&Evidence<'r>> = self
            .evidence
            .iter()
            .filter(|e| e.counted && e.hit.kind.role() == role)
            .filter(|e| match e.hit.kind {
                HitKind::Responsibility { .. } => true,
                HitKind::Name { .. } => self.basis == Basis::All,
                HitKind::Negative { .. } => false,
            })
            .collect();
        items.sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.hit.start.cmp(&b.hit.start)));
        let mut out: Vec<Cow<'a, str>> = Vec::new();
        for e in items {
            let words = match e.hit.signal {
                // A name says what the employer calls the job, not what it is: marked as such in compact columns.
                Signal::Phrase { .. } if matches!(e.hit.kind, HitKind::Name { .. }) => {
                    Cow::Owned(format!("name: {}", e.phrase))
                }
                Signal::Phrase { .. } => Cow::Borrowed(e.phrase),
                Signal::Regex { .. } | Signal::Near { .. } => {
                    one_line(text.get(e.hit.start..e.hit.end).unwrap_or(e.phrase))
                }
            };
            if !out.contains(&words) {
                out.push(words);
            }
            if out.len() == n {
                break;
            }
        }
        out
    }
}

/// What counts towards a score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// Responsibilities and name mentions ("as our Product Owner"): the classifier's verdict.
    All,
    /// Responsibility evidence alone: what the job *does*, whatever the employer calls it. Name mentions are still
    /// found and reported (kind `name`), but add nothing. Used for title drift and the name-masked measurement.
    Responsibilities,
}

/// `s` on one line: every run of whitespace (line breaks included) becomes one space, at the ends too (borrowed
/// when there is nothing to change).
pub(crate) fn one_line(s: &str) -> Cow<'_, str> {
    if !(s.contains(|c: char| c.is_whitespace() && c != ' ') || s.contains("  ")) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
    Cow::Owned(out)
}

/// Scores `hits` (ascending by start, the longer first at one start) against every role of `rules`.
pub fn classify<'r>(rules: &'r RuleSet, hits: &[Hit]) -> Classification<'r> {
    classify_on(rules, hits, Basis::All)
}

/// [`classify`] on a chosen [`Basis`].
pub fn classify_on<'r>(rules: &'r RuleSet, hits: &[Hit], basis: Basis) -> Classification<'r> {
    classify_with(rules, hits, basis, &mut Scratch::default())
}

/// Working tables of one scoring, kept by a scanner between postings so that scoring allocates only its result.
#[derive(Debug, Default)]
pub struct Scratch {
    reach: Vec<usize>,
    /// Each piece of evidence's key ([`packed_key`]).
    keys: Vec<u128>,
    /// Open addressing over `keys`: the best occurrence of each key (an index into the evidence), or `u32::MAX`.
    best: Vec<u32>,
    area_sum: Vec<f64>,
    area_phrases: Vec<u32>,
    names: Vec<u32>,
    negatives: Vec<u32>,
    touched: Vec<bool>,
    own: Vec<f64>,
}

/// Refills `v` with `n` copies of `x`, keeping its allocation.
fn reset<T: Clone>(v: &mut Vec<T>, n: usize, x: T) {
    v.clear();
    v.resize(n, x);
}

/// [`classify_on`] with reused working tables.
pub fn classify_with<'r>(rules: &'r RuleSet, hits: &[Hit], basis: Basis, scratch: &mut Scratch) -> Classification<'r> {
    classify_into(rules, hits, basis, scratch, &mut Recycled::default())
}

/// The lists of classifications already read, handed back ([`Recycled::keep`]) for the next ones to fill: a run
/// of postings then writes its evidence and rankings into memory the cache holds, instead of allocating them
/// afresh for each posting.
#[derive(Debug, Default)]
pub(crate) struct Recycled<'r> {
    evidence: Vec<Evidence<'r>>,
    ranking: Vec<RoleScore>,
    areas: Vec<Vec<AreaScore>>,
}

/// The most entries a recycled list keeps room for, and the most area lists kept: a giant posting's lists are let
/// go.
const RECYCLED_MAX: usize = 4096;

impl<'r> Recycled<'r> {
    /// Keeps the lists of `c`, emptied.
    pub(crate) fn keep(&mut self, mut c: Classification<'r>) {
        for mut s in c.ranking.drain(..) {
            if self.areas.len() < RECYCLED_MAX && s.areas.capacity() <= RECYCLED_MAX {
                s.areas.clear();
                self.areas.push(s.areas);
            }
        }
        let room = |n: usize, old: usize| n <= RECYCLED_MAX && n > old;
        if room(c.ranking.capacity(), self.ranking.capacity()) {
            self.ranking = c.ranking;
        }
        if room(c.evidence.capacity(), self.evidence.capacity()) {
            self.evidence = c.evidence;
        }
    }
}

/// [`classify_with`], filling lists `recycled` holds where it holds any.
pub(crate) fn classify_into<'r>(
    rules: &'r RuleSet,
    hits: &[Hit],
    basis: Basis,
    scratch: &mut Scratch,
    recycled: &mut Recycled<'r>,
) -> Classification<'r> {
    let Scratch { reach, keys, best, area_sum, area_phrases, names, negatives, touched, own } = scratch;
    // Worth of each hit, and which occurrence of each distinct (kind, signal) counts.
    let mut evidence = std::mem::take(&mut recycled.evidence);
    evidence.clear();
    evidence.extend(hits.iter().map(|h| {
        // A name in a past job's clause or in company and hiring prose ("Our tech leads pair daily") names
        // nobody's job here; an alias of a refining role's name ("Tech Owner / Technical Lead") names that role.
        let is_name = matches!(h.kind, HitKind::Name { .. });
        let context = if h.negated || h.elsewhere || (is_name && (h.background || h.boilerplate || h.alias)) {
            0.0
        } else if h.boilerplate {
            BOILERPLATE_FACTOR
        } else {
            1.0
        };
        Evidence { hit: *h, phrase: phrase_of(rules, h.signal), weight: h.specificity * context, counted: false }
    }));
    // Evidence inside a longer piece of evidence for the same area (a phrase inside a regex's match) adds nothing
    // (proximity pairs and negative cues aside), and a name inside a longer name ("product owner" in "Technical Product Owner") names only the longer role.
    reset(reach, rules.roles.len() + rules.area_offsets[rules.roles.len()], 0);
    let mut name_reach = 0;
    for e in &mut evidence {
        if matches!(e.hit.kind, HitKind::Name { .. }) {
            if e.hit.end <= name_reach {
                e.weight = 0.0;
            }
            name_reach = name_reach.max(e.hit.end);
        }
        // A proximity pair spans the words between its two sides: what stands there is evidence of its own, and the
        // pair is not a longer form of it.
        if matches!(e.hit.signal, Signal::Near { .. }) || matches!(e.hit.kind, HitKind::Negative { .. }) {
            continue;
        }
        // Within one area: a phrase of another area of the role inside this one is another aspect of the work.
        let slot = match e.hit.kind {
            HitKind::Responsibility { role, area } => {
                rules.roles.len() + rules.area_offsets[role as usize] + area as usize
            }
            kind => kind.role() as usize,
        };
        let r = &mut reach[slot];
        if e.hit.end <= *r {
            e.weight = 0.0;
        } else {
            *r = e.hit.end;
        }
    }
    // The heaviest occurrence of each (kind, signal) counts (the first one on a tie): one pass in posting order
    // over a small open-addressing table of each key's best occurrence so far (a sort of the keys cost twice as
    // much, and is not needed: nothing depends on the keys' order).
    keys.clear();
    keys.extend(evidence.iter().map(|e| packed_key(e.hit.kind, signal_key(rules, e.hit.signal))));
    best_of_each(keys, |i| evidence[i].weight, best);
    for &i in best.iter().filter(|&&i| i != u32::MAX) {
        let e = &mut evidence[i as usize];
        e.counted = e.weight > 0.0;
    }

    // Sums per area in one flat table (most roles have no evidence: no per-role allocation for them).
    let offsets = &rules.area_offsets;
    reset(area_sum, offsets[rules.roles.len()], 0.0);
    reset(area_phrases, area_sum.len(), 0);
    reset(names, rules.roles.len(), 0);
    reset(negatives, rules.roles.len(), 0);
    // Roles with counted responsibility evidence or a name mention: any other role scores 0 (most of them).
    reset(touched, rules.roles.len(), false);
    for e in evidence.iter().filter(|e| e.counted) {
        match e.hit.kind {
            HitKind::Responsibility { role, area } => {
                let k = offsets[role as usize] + area as usize;
                area_sum[k] += e.weight;
                area_phrases[k] += 1;
                touched[role as usize] = true;
            }
            HitKind::Name { role } => {
                names[role as usize] += 1;
                touched[role as usize] = true;
            }
            HitKind::Negative { role } => negatives[role as usize] += 1,
        }
    }
    let area_score = |r: usize, a: usize| match area_sum[offsets[r] + a] {
        x if x > 0.0 => rules.roles[r].areas[a].weight * (1.0 - (-x / SATURATION).exp()),
        _ => 0.0,
    };
    own.clear();
    own.extend((0..rules.roles.len()).map(|r| match touched[r] {
        true => (0..rules.roles[r].areas.len()).map(|a| area_score(r, a)).sum(),
        false => 0.0,
    }));
    // At most one score per touched role: room for them all at once.
    let mut scores = std::mem::take(&mut recycled.ranking);
    scores.clear();
    scores.reserve(touched.iter().filter(|&&t| t).count());
    for (r, role) in rules.roles.iter().enumerate() {
        if !touched[r] {
            // No own evidence and no name: 0, and a share of a base role is only added to a positive score.
            continue;
        }
        let named = names[r] > 0 && basis == Basis::All;
        let name = if named { NAME_WEIGHT } else { 0.0 };
        let mut score = (own[r] + name) * NEGATIVE_FACTOR.powi(negatives[r] as i32);
        // A role with distinguishing areas needs evidence there (or its name) to count in full.
        let declares = role.areas.iter().any(|a| a.distinguishing);
        let distinct: f64 =
            (0..role.areas.len()).filter(|&a| role.areas[a].distinguishing).map(|a| area_score(r, a)).sum();
        // ... and, if it says so, evidence in its `distinguishing_with` areas too (a program, and technical).
        let with = role.distinguishing_with.iter().map(|&a| area_score(r, a as usize)).sum::<f64>();
        let lacks_with = !role.distinguishing_with.is_empty() && with < crate::ruleset::MIN_DISTINGUISHING;
        let undistinguished = !named && ((declares && distinct < role.distinguishing_min) || lacks_with);
        // A role that builds on others adds a share of the best of their own scores, once it shows its own
        // distinguishing work: a senior engineer who mentors is not a tech lead.
        let base = role
            .builds_on
            .iter()
            .map(|&b| (b, own[b as usize]))
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
            .filter(|&(_, sc)| sc > 0.0 && score > 0.0 && !undistinguished)
            .map(|(b, sc)| (b, role.builds_on_share * sc));
        score += base.map_or(0.0, |(_, add)| add);
        if undistinguished {
            score *= UNDISTINGUISHED_FACTOR;
        }
        if score <= 0.0 {
            continue;
        }
        let weights: f64 = role.areas.iter().map(|a| a.weight).sum();
        let mut areas = recycled.areas.pop().unwrap_or_default();
        areas.extend((0..role.areas.len()).map(|a| AreaScore {
            area: a as u16,
            evidence: area_sum[offsets[r] + a],
            score: area_score(r, a),
            phrases: area_phrases[offsets[r] + a],
        }));
        scores.push(RoleScore {
            role: r as RoleIdx,
            score,
            coverage: if weights > 0.0 { own[r] / weights } else { 0.0 },
            areas,
            names: names[r],
            negatives: negatives[r],
            responsibility: own[r],
            base,
            undistinguished,
        });
    }
    scores.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.role.cmp(&b.role)));

    let best = scores.first().map_or(0.0, |s| s.score);
    let second = scores.get(1).map_or(0.0, |s| s.score);
    let (status, role, confidence) = if best < MIN_SCORE {
        (Status::None, None, (1.0 - best / MIN_SCORE).clamp(0.0, 1.0))
    } else {
        let strength = 1.0 - (-best / STRENGTH_SCALE).exp();
        let separation = 1.0 - second / best;
        let status = if second >= AMBIGUOUS_RATIO * best { Status::Ambiguous } else { Status::Match };
        (status, Some(scores[0].role), (strength * separation).clamp(0.0, 1.0))
    };
    Classification { rules, basis, status, role, confidence, ranking: scores, evidence }
}

/// Fills `best` with the index of the heaviest of each distinct key's occurrences in `keys` (the first one on a
/// tie), in no particular order, among `u32::MAX` fillers: an open-addressing table of each key's best so far, in
/// one pass.
fn best_of_each(keys: &[u128], weight: impl Fn(usize) -> f64, best: &mut Vec<u32>) {
    let slots = (2 * keys.len()).next_power_of_two().max(16);
    reset(best, slots, u32::MAX);
    let shift = 64 - slots.trailing_zeros();
    for (i, &key) in keys.iter().enumerate() {
        let mut h = ((key as u64 ^ (key >> 64) as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> shift) as usize;
        loop {
            let j = best[h];
            if j == u32::MAX {
                best[h] = i as u32;
                break;
            }
            if keys[j as usize] == key {
                if weight(i).total_cmp(&weight(j as usize)).is_gt() {
                    best[h] = i as u32;
                }
                break;
            }
            h = (h + 1) & (slots - 1);
        }
    }
}

/// Identity of a piece of evidence for "counts once": what it supports and the literal (not which of its uses)
/// or regex that found it, packed so that the order is that of `(kind, phrase before regex, id)`.
fn packed_key(kind: HitKind, (source, id): (u8, u32)) -> u128 {
    let (variant, role, area) = match kind {
        HitKind::Responsibility { role, area } => (0u128, role, area),
        HitKind::Name { role } => (1, role, 0),
        HitKind::Negative { role } => (2, role, 0),
    };
    variant << 72 | u128::from(role) << 56 | u128::from(area) << 40 | u128::from(source) << 32 | u128::from(id)
}

/// What makes a signal "the same evidence" when it repeats: the written phrase (all forms of `prioritise~` are one
/// phrase; see [`crate::ruleset::Use::group`]), the regex or the proximity rule.
fn signal_key(rules: &RuleSet, s: Signal) -> (u8, u32) {
    match s {
        Signal::Phrase { pattern, use_ } => (0, rules.patterns[pattern as usize].uses[use_ as usize].group),
        Signal::Regex { id } => (1, id),
        Signal::Near { id } => (2, id),
    }
}

fn phrase_of(rules: &RuleSet, s: Signal) -> &str {
    match s {
        Signal::Phrase { pattern, use_ } => &rules.patterns[pattern as usize].uses[use_ as usize].phrase,
        Signal::Regex { id } => &rules.regexes[id as usize].source,
        Signal::Near { id } => &rules.near_rules[id as usize].source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_minimum_confidence_makes_weak_verdicts_uncertain_and_leaves_none_alone() {
        let rs = crate::default_rules().unwrap();
        let mut session = crate::Session::new(&rs);
        let c = session.classify(crate::Posting::new("Own the product backlog."));
        let (role, conf) = (c.role, c.confidence);
        assert_eq!(c.status, Status::Match);
        let weak = c.clone().with_min_confidence(Some(conf + 0.01));
        assert_eq!((weak.status, weak.role), (Status::Uncertain, role), "the role stays as the best guess");
        assert_eq!(c.clone().with_min_confidence(Some(conf)).status, Status::Match, "at the minimum it holds");
        assert_eq!(c.clone().with_min_confidence(None).status, Status::Match);
        let none = session.classify(crate::Posting::new("Bread and croissants."));
        assert_eq!(none.with_min_confidence(Some(1.0)).status, Status::None);
    }
    use crate::compile::compile;
    use crate::posting::Posting;
    use crate::rulefile::Source;
    use crate::Session;

    proptest::proptest! {
        /// The table picks what sorting by (key, heavier, earlier) and taking each key's first would: few keys, so
        /// they repeat, and few weights, so they tie.
        #[test]
        fn the_best_of_each_key_is_the_heaviest_and_first_on_a_tie(
            items in proptest::collection::vec((0u128..12, 0u8..4), 0..200),
        ) {
            let keys: Vec<u128> = items.iter().map(|&(k, _)| k << 70 | k).collect();
            let weight = |i: usize| f64::from(items[i].1) / 2.0;
            let mut best = Vec::new();
            best_of_each(&keys, weight, &mut best);
            let mut got: Vec<u32> = best.into_iter().filter(|&i| i != u32::MAX).collect();
            got.sort_unstable();
            let mut order: Vec<usize> = (0..keys.len()).collect();
            order.sort_by(|&a, &b| keys[a].cmp(&keys[b]).then(weight(b).total_cmp(&weight(a))).then(a.cmp(&b)));
            let mut want: Vec<u32> = order
                .iter()
                .enumerate()
                .filter(|&(n, &i)| n == 0 || keys[order[n - 1]] != keys[i])
                .map(|(_, &i)| i as u32)
                .collect();
            want.sort_unstable();
            proptest::prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn packed_keys_order_like_kind_then_signal() {
        let kinds = [
            HitKind::Responsibility { role: 0, area: 3 },
            HitKind::Responsibility { role: 1, area: 0 },
            HitKind::Responsibility { role: u16::MAX, area: u16::MAX },
            HitKind::Name { role: 0 },
            HitKind::Name { role: 7 },
            HitKind::Negative { role: 2 },
        ];
        let signals: [(u8, u32); 6] = [(0, 0), (0, 4), (0, u32::MAX), (1, 0), (1, 9), (2, 3)];
        for &ka in &kinds {
            for &sa in &signals {
                for &kb in &kinds {
                    for &sb in &signals {
                        assert_eq!(
                            packed_key(ka, sa).cmp(&packed_key(kb, sb)),
                            (ka, sa).cmp(&(kb, sb)),
                            "{ka:?} {sa:?} vs {kb:?} {sb:?}"
                        );
                    }
                }
            }
        }
    }

    fn role(id: &str, areas: &[(&str, f64, &[&str])]) -> String {
        let mut s = format!(
            "id = \"{id}\"\nname = \"{id}\"\nfamily = \"f\"\nsummary = \"s\"\nnames = [\"{}\"]\n",
            id.replace('-', " ")
        );
        for (aid, w, phrases) in areas {
            let list: Vec<String> = phrases.iter().map(|p| format!("\"{p}\"")).collect();
            s += &format!(
                "[[areas]]\nid = \"{aid}\"\nname = \"{aid}\"\nweight = {w}\nphrases = [{}]\n",
                list.join(", ")
            );
        }
        s
    }

    fn rules() -> RuleSet {
        let a = role(
            "alpha",
            &[
                ("one", 1.0, &["apple pie", "banana split", "cherry tart"]),
                ("two", 1.0, &["dates"]),
                ("three", 1.0, &["elderberry"]),
            ],
        );
        let b = role("beta", &[("one", 2.0, &["fig roll", "grape juice"]), ("two", 1.0, &["shared thing"])]);
        let c = role("gamma", &[("one", 1.0, &["shared thing", "honeydew"])]);
        let lang = "[language]\nid = \"en\"\nnegation_before = [\"no\"]\n";
        let src = |n: &str, t: String| Source { name: n.into(), text: t };
        compile(&[src("a.toml", a), src("b.toml", b), src("c.toml", c), src("en.toml", lang.into())]).unwrap().rules
    }

    fn run<'r>(rs: &'r RuleSet, text: &str) -> Classification<'r> {
        Session::new(rs).classify(Posting::new(text))
    }

    #[test]
    fn repetition_saturates_and_coverage_wins() {
        let rs = rules();
        let repeated = "apple pie. ".repeat(20) + "banana split. cherry tart.";
        let covering = "apple pie, dates and elderberry.";
        let r = run(&rs, &repeated);
        let c = run(&rs, covering);
        assert!(c.score() > r.score(), "covering {} vs repeated {}", c.score(), r.score());
        // 20 repeats count as one phrase
        let a = &r.ranking[0].areas[0];
        assert_eq!(a.phrases, 3);
        assert!((a.evidence - 3.0).abs() < 1e-9);
        assert_eq!(r.evidence.iter().filter(|e| e.counted).count(), 3);
    }

    #[test]
    fn shared_phrases_count_less() {
        let rs = rules();
        let c = run(&rs, "shared thing");
        let beta = c.ranking.iter().find(|s| rs.roles[s.role as usize].id == "beta").unwrap();
        assert!((beta.areas[1].evidence - 0.5f64.sqrt()).abs() < 1e-9);
    }

    #[test]
    fn negated_mentions_do_not_count() {
        let rs = rules();
        let yes = run(&rs, "fig roll and grape juice");
        let no = run(&rs, "no fig roll, no grape juice");
        assert_eq!(yes.role_id(), "beta");
        assert_eq!(no.role_id(), "other");
        assert!(no.ranking.is_empty());
        assert!(no.evidence.iter().all(|e| e.hit.negated && !e.counted));
    }

    #[test]
    fn statuses_and_confidence() {
        let rs = rules();
        let none = run(&rs, "nothing to see here");
        assert_eq!((none.status, none.role_id(), none.confidence), (Status::None, "other", 1.0));
        let m = run(&rs, "apple pie, dates and elderberry");
        assert_eq!(m.status, Status::Match);
        assert!(m.confidence > 0.0 && m.confidence <= 1.0);
        let amb = run(&rs, "apple pie, dates, elderberry; fig roll and grape juice and shared thing");
        let (s0, s1) = (amb.ranking[0].score, amb.ranking[1].score);
        assert_eq!(amb.status == Status::Ambiguous, s1 >= AMBIGUOUS_RATIO * s0);
        assert!(amb.confidence < m.confidence || amb.status == Status::Match);
    }

    #[test]
    fn a_name_inside_a_longer_name_names_only_the_longer_role() {
        let a = role("owner", &[("one", 1.0, &["fig roll"])]);
        let b = role("product-owner", &[("one", 1.0, &["fig roll"])]);
        let src = |n: &str, t: String| Source { name: n.into(), text: t };
        let rs = compile(&[src("a.toml", a), src("b.toml", b)]).unwrap().rules;
        let c = run(&rs, "as our product owner you make fig roll");
        let named: Vec<(&str, bool)> = c
            .evidence
            .iter()
            .filter(|e| matches!(e.hit.kind, HitKind::Name { .. }))
            .map(|e| (rs.roles[e.hit.kind.role() as usize].id.as_str(), e.counted))
            .collect();
        assert_eq!(named, vec![("product-owner", true), ("owner", false)]);
        assert_eq!(c.role_id(), "product-owner");
    }

    #[test]
    fn shared_evidence_alone_does_not_make_a_verdict() {
        let lead = "id = \"lead\"\nname = \"Lead\"\nfamily = \"f\"\nsummary = \"s\"\nnames = [\"team lead\"]\nbuilds_on = [\"coder\"]\n\
            [[areas]]\nid = \"leading\"\nname = \"Leading\"\nweight = 2.0\ndistinguishing = true\nphrases = [\"lead the team\"]\n\
            [[areas]]\nid = \"mentoring\"\nname = \"Mentoring\"\nweight = 2.0\nphrases = [\"mentor engineers\", \"code reviews\"]\n";
        let coder = role("coder", &[("code", 2.0, &["write code", "fix bugs"])]);
        let src = |n: &str, t: String| Source { name: n.into(), text: t };
        let rs = compile(&[src("a.toml", lead.into()), src("b.toml", coder)]).unwrap().rules;
        let lead_of = |c: &Classification| c.ranking.iter().find(|s| rs.roles[s.role as usize].id == "lead").cloned();
        // A senior engineer who mentors: shared evidence only, so the lead role is halved and adds no base share.
        let senior = run(&rs, "You write code, fix bugs, mentor engineers and join code reviews.");
        let l = lead_of(&senior).unwrap();
        assert!(l.undistinguished && l.base.is_none(), "{l:?}");
        assert!((l.score - l.responsibility * UNDISTINGUISHED_FACTOR).abs() < 1e-9);
        assert_eq!(senior.role_id(), "coder");
        // The same posting that also leads the team: distinguished, the base share counts, the lead role wins.
        let lead_ad = run(&rs, "You lead the team, write code, fix bugs, mentor engineers and join code reviews.");
        let l = lead_of(&lead_ad).unwrap();
        assert!(!l.undistinguished && l.base.is_some(), "{l:?}");
        assert_eq!(lead_ad.role_id(), "lead");
        // Naming the role distinguishes it too (not on the responsibilities-only basis).
        let named = run(&rs, "As our team lead you mentor engineers.");
        assert!(!lead_of(&named).unwrap().undistinguished);
        let masked = Session::new(&rs)
            .classify_on(Posting::new("As our team lead you mentor engineers."), Basis::Responsibilities);
        assert!(lead_of(&masked).unwrap().undistinguished);
    }

    /// Whether role `id` is distinguished in `text` (it must be ranked), and the verdict.
    fn standing(rs: &RuleSet, text: &str, id: &str) -> (bool, String) {
        let c = run(rs, text);
        let s = c.ranking.iter().find(|s| rs.roles[s.role as usize].id == id).expect("the role is ranked");
        (s.undistinguished, c.role_id().to_string())
    }

    #[test]
    fn a_role_can_ask_for_more_distinguishing_evidence() {
        let officer = |min: &str| {
            format!(
                "id = \"officer\"\nname = \"Officer\"\nfamily = \"f\"\nsummary = \"s\"\nbuilds_on = [\"admin\"]\n{min}\
                [[areas]]\nid = \"run\"\nname = \"Run\"\nweight = 2.0\ndistinguishing = true\n\
                phrases = [\"it strategy\", \"it budget\", \"it team\"]\n"
            )
        };
        let admin = role("admin", &[("ops", 2.0, &["patch servers", "reset passwords"])]);
        let src = |n: &str, t: String| Source { name: n.into(), text: t };
        let pack = |min: &str| compile(&[src("a.toml", officer(min)), src("b.toml", admin.clone())]).unwrap().rules;
        let one = "You patch servers and reset passwords in line with the IT strategy.";
        let two = "You patch servers and reset passwords, carry out the IT strategy and keep the IT budget.";
        let undistinguished = |rs: &RuleSet, text: &str| standing(rs, text, "officer");
        // The default bar: one specific phrase distinguishes the role, and the base share makes it win.
        let default = pack("");
        assert_eq!(undistinguished(&default, one), (false, "officer".to_string()));
        // A higher bar: one phrase is not enough (the administrator keeps the posting), two are.
        let strict = pack("distinguishing_min = 1.5\n");
        assert_eq!(undistinguished(&strict, one), (true, "admin".to_string()));
        assert_eq!(undistinguished(&strict, two), (false, "officer".to_string()));
        // Out of range is a diagnostic at the value.
        let err =
            compile(&[src("a.toml", officer("distinguishing_min = 9.0\n")), src("b.toml", admin.clone())]).unwrap_err();
        assert!(err.iter().any(|d| d.message.contains("distinguishing_min 9 is out of range")), "{err:?}");
    }

    #[test]
    fn distinguishing_with_asks_for_a_second_kind_of_evidence() {
        // A technical program role: running programs (distinguishing) tells it from engineers, and it must be
        // technical too, or a plain program role's ad would read as it.
        let tpm = |with: &str| {
            format!(
                "id = \"tpm\"\nname = \"Tpm\"\nfamily = \"f\"\nsummary = \"s\"\n{with}\
                [[areas]]\nid = \"run\"\nname = \"Run\"\nweight = 2.0\ndistinguishing = true\n\
                phrases = [\"remove blockers\", \"program execution\"]\n\
                [[areas]]\nid = \"tech\"\nname = \"Tech\"\nweight = 1.0\nphrases = [\"system design\"]\n"
            )
        };
        let pgm =
            role("pgm", &[("run", 2.0, &["program governance", "program execution"]), ("gain", 1.0, &["benefits"])]);
        let src = |n: &str, t: String| Source { name: n.into(), text: t };
        let pack = |with: &str| compile(&[src("a.toml", tpm(with)), src("b.toml", pgm.clone())]).unwrap().rules;
        let plain = "You own program execution, remove blockers and keep the program governance.";
        let technical =
            "You own program execution, remove blockers, keep the program governance and join system design.";
        let tpm_of = |rs: &RuleSet, text: &str| standing(rs, text, "tpm");
        // Without the condition, program work alone distinguishes the role and it wins the plain ad.
        let loose = pack("");
        assert_eq!(tpm_of(&loose, plain), (false, "tpm".to_string()));
        // With it, the plain ad is not distinguished (halved) and the program role keeps it; the technical ad is.
        let strict = pack("distinguishing_with = [\"tech\"]\n");
        assert_eq!(tpm_of(&strict, plain), (true, "pgm".to_string()));
        assert_eq!(tpm_of(&strict, technical), (false, "tpm".to_string()));
        // Without distinguishing areas the condition alone decides; an area listed twice counts once.
        let alone = |with: &str| {
            let t = tpm(with).replace("distinguishing = true\n", "");
            compile(&[src("a.toml", t), src("b.toml", pgm.clone())]).unwrap().rules
        };
        assert!(!tpm_of(&alone(""), plain).0);
        let twice = alone("distinguishing_with = [\"tech\", \"tech\"]\n");
        assert!(tpm_of(&twice, plain).0);
        assert!(!tpm_of(&twice, technical).0);
        assert_eq!(twice.roles.iter().find(|r| r.id == "tpm").unwrap().distinguishing_with, [1]);
        // An area the role does not have is an error at the value, naming the areas it has.
        let err = compile(&[src("a.toml", tpm("distinguishing_with = [\"tech\", \"techh\"]\n")), src("b.toml", pgm)])
            .unwrap_err();
        let d = err.iter().find(|d| d.code == crate::diag::codes::UNKNOWN_AREA).expect("R021");
        assert!(d.message.contains("`techh`") && d.hint.as_deref().is_some_and(|h| h.contains("run, tech")), "{d:?}");
        assert_eq!(d.line, 5, "{d:?}");
    }

    #[test]
    fn a_phrase_inside_a_longer_one_counts_only_in_another_area() {
        let same = role("same", &[("one", 1.0, &["release train", "train"])]);
        let split = role("split", &[("one", 1.0, &["release train"]), ("two", 1.0, &["train"])]);
        let src = |n: &str, t: String| Source { name: n.into(), text: t };
        let rs = compile(&[src("a.toml", same), src("b.toml", split)]).unwrap().rules;
        let c = run(&rs, "You steer the release train.");
        let counted =
            |id: &str| c.evidence.iter().filter(|e| e.counted && rs.roles[e.hit.kind.role() as usize].id == id).count();
        assert_eq!(counted("same"), 1, "a nested phrase of the same area is the same evidence");
        assert_eq!(counted("split"), 2, "a nested phrase of another area is another aspect");
    }

    #[test]
    fn name_mention_adds_a_fixed_weight() {
        let rs = rules();
        let plain = run(&rs, "fig roll");
        let named = run(&rs, "as our beta you bring fig roll");
        assert!((named.score() - plain.score() - NAME_WEIGHT).abs() < 1e-9);
    }
}
