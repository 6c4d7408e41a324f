//! The scanner: per-thread scratch space and the one pass of the automaton over a posting.
//!
//! A [`Scanner`] borrows an immutable [`RuleSet`] and owns reusable buffers (the normalised text, cue lists, hits),
//! as yara-x separates `Rules` from `Scanner`: build the rule set once, give each thread its own scanner.
//! [`Scanner::scan`] normalises the posting, runs the automaton once over the normalised bytes reporting every
//! occurrence of every literal, even overlapping ones (so "Construction Project Manager" is evidence both of a
//! construction phrase and of the name "project manager"; within one role, `score.rs` counts only the longest of
//! nested matches), checks Unicode word boundaries on the **original** text, confirms regexes at their literal candidates
//! (a regex whose matches all end with one of a few literals, its tail, only where the walk finds one after the
//! candidate with no byte between that the regex cannot hold: most candidates never are, and each try saved is a
//! lazy-DFA search over tables that miss the cache), and
//! marks each hit as negated (a negation cue in the same clause) or boilerplate (inside an "about us" / benefits
//! section or sentence). Hits carry byte spans into the original text. Scoring is `score.rs`'s job. A posting
//! yields at most [`MAX_HITS`] hits: beyond that the scan stops, so memory stays bounded on giant inputs.

use crate::automaton::Literals;
use crate::posting::{self, Normalized, SectionCue};
use crate::ruleset::{NextBytes, RoleIdx, RuleSet, UseKind};
use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::hybrid::LazyStateID;
use regex_automata::{Anchored, Input};

/// The most bytes between two joined role names ("Tech Owner / Technical Lead") for one to be the other's alias.
const MAX_ALIAS_GAP: usize = 8;

/// Most hits kept per posting. Real postings have a few hundred; a 50 MB paste of one sentence repeated has
/// millions, which would only repeat evidence already counted (each phrase counts once) while costing memory.
pub const MAX_HITS: usize = 100_000;

/// Most matches of the proximity rules' confirming sides a scan keeps for the stretches around trigger anchors (12
/// bytes each). Real postings have a few dozen; past this many, a giant posting's later ones are not read, so its
/// memory stays bounded as with [`MAX_HITS`].
pub const MAX_CONFIRMS: usize = 100_000;

/// The longest posting `Scanner::prescan` reads ahead (its normalised text and matches are kept until its scan).
pub const PRESCAN_MAX: usize = 1 << 20;

/// The room (in bytes of text) a buffer kept for `Scanner::prescan` may hold on to between batches.
const PRESCAN_KEEP: usize = 16 << 10;

/// The most automaton matches one `Scanner::prescan` keeps (12 bytes each): a batch of texts dense in overlapping
/// matches leaves the postings past this budget to their scans, so memory stays bounded whatever the input.
pub const PRESCAN_MATCHES: usize = 1 << 20;

/// What a hit is evidence of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HitKind {
    /// A responsibility of a role, in one of its areas.
    Responsibility {
        /// The role.
        role: RoleIdx,
        /// The area index.
        area: u16,
    },
    /// The posting names the role.
    Name {
        /// The role.
        role: RoleIdx,
    },
    /// A cue against the role.
    Negative {
        /// The role.
        role: RoleIdx,
    },
}

impl HitKind {
    /// The role this hit is about.
    pub fn role(&self) -> RoleIdx {
        match *self {
            HitKind::Responsibility { role, .. } | HitKind::Name { role } | HitKind::Negative { role } => role,
        }
    }
}

/// Which rule produced a hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Signal {
    /// Literal `pattern` of the automaton, meaning number `use_` of that literal.
    Phrase {
        /// Pattern id.
        pattern: u32,
        /// Index into the pattern's uses.
        use_: u16,
    },
    /// Regex number `id`.
    Regex {
        /// Index into the rule set's regexes.
        id: u32,
    },
    /// Proximity rule number `id`: its two sides were found close together in one sentence.
    Near {
        /// Index into the rule set's proximity rules.
        id: u32,
    },
}

/// One piece of evidence found in a posting.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    /// What it supports.
    pub kind: HitKind,
    /// The rule that fired.
    pub signal: Signal,
    /// Byte span in the original text.
    pub start: usize,
    /// End of the byte span (exclusive).
    pub end: usize,
    /// A negation cue in the same clause cancels it.
    pub negated: bool,
    /// It stands in boilerplate (about the company, benefits, how to apply).
    pub boilerplate: bool,
    /// A name mention that refers to someone else ("reports to the CTO").
    pub elsewhere: bool,
    /// It stands in a background clause: the candidate's history ("5 years as a software engineer"), not the job.
    pub background: bool,
    /// A role's name joined to the name of a role that refines it ("Tech Owner / Technical Lead"): the pair names
    /// the refining role, this one is its alias.
    pub alias: bool,
    /// `k^-0.5` for a phrase that `k` roles share.
    pub specificity: f64,
}

impl Hit {
    /// A hit found at `start..end`, before the marking pass (not negated, boilerplate, someone else or background).
    fn found(kind: HitKind, signal: Signal, start: usize, end: usize, specificity: f64) -> Hit {
        Hit {
            kind,
            signal,
            start,
            end,
            negated: false,
            boilerplate: false,
            elsewhere: false,
            background: false,
            alias: false,
            specificity,
        }
    }
}

impl crate::ruleset::Meaning {
    /// Where this meaning of a literal found at `os..oe` stands in `text`, given whether word boundaries hold on
    /// its `left` and `right`: `None` when a boundary it needs is missing; a wildcard lets the word continue, so
    /// the evidence is the whole word.
    fn span_in(&self, text: &str, os: usize, oe: usize, left: bool, right: bool) -> Option<(usize, usize)> {
        if !(self.left_open || left) || !(self.right_open || right) {
            return None;
        }
        let start = if self.left_open { word_start(text, os) } else { os };
        let end = if self.right_open { word_end(text, oe) } else { oe };
        Some((start, end))
    }
}

/// A regex's lazy-DFA state after one of its prefix literals, kept for the tries found by that literal: a try then
/// reads on from the literal's end ([`search_from`]) instead of setting up a whole search and reading the literal
/// again, which is most of a failing try's cost (and nearly every try fails, most within a few bytes).
#[derive(Debug, Clone, Copy, Default)]
enum Resume {
    /// Not read yet.
    #[default]
    Unread,
    /// The state, valid while the cache has been cleared this many times (a clear drops every state).
    At(usize, LazyStateID),
    /// No state to resume from (a match could end within the literal, or the DFA gave up): a whole search.
    Never,
}

impl Resume {
    /// The state after `literal` (the candidate's literal, as found), read from the start state when not known.
    fn state(&mut self, dfa: &DFA, cache: &mut Cache, literal: &[u8]) -> Option<LazyStateID> {
        match *self {
            Resume::At(clears, sid) if clears == cache.clear_count() => return Some(sid),
            Resume::Never => return None,
            _ => {}
        }
        let mut read = || -> Option<LazyStateID> {
            let mut sid = dfa.start_state_forward(cache, &Input::new(literal).anchored(Anchored::Yes)).ok()?;
            // A match (one byte late), dead or quit state within the literal: no resuming.
            let plain = |sid: LazyStateID| !(sid.is_match() || sid.is_dead() || sid.is_quit() || sid.is_unknown());
            for &b in literal {
                if !plain(sid) {
                    return None;
                }
                sid = dfa.next_state(cache, sid, b).ok()?;
            }
            plain(sid).then_some(sid)
        };
        let sid = read();
        *self = sid.map_or(Resume::Never, |sid| Resume::At(cache.clear_count(), sid));
        sid
    }
}

/// The anchored search of `dfa` (leftmost-first, as `try_search_fwd`) over a text whose first `read` bytes took it
/// to state `sid` and whose rest is `rest`: the end of the match, from the text's start; `None` (outer) when the DFA
/// gives up and the full engine must decide.
fn search_from(dfa: &DFA, cache: &mut Cache, mut sid: LazyStateID, rest: &[u8], read: usize) -> Option<Option<usize>> {
    let mut found = None;
    for (i, &b) in rest.iter().enumerate() {
        sid = dfa.next_state(cache, sid, b).ok()?;
        // As `try_search_fwd` reads the tags. Matches show one byte late: this one ends before `b`.
        if sid.is_tagged() && !sid.is_start() {
            if sid.is_match() {
                found = Some(read + i);
            } else if sid.is_dead() {
                return Some(found);
            } else if sid.is_quit() {
                return None;
            }
        }
    }
    if dfa.next_eoi_state(cache, sid).ok()?.is_match() {
        found = Some(read + rest.len());
    }
    Some(found)
}

/// How far back (bytes) a listed name looks for the cue of its list ([`listed_after_others`]).
const LIST_REACH: usize = 160;

/// Whether the name at `start` follows a list joiner of the language, perhaps with one short word between ("... and
/// the engineering manager", "... & our CTO"): it ends a list of people. A comma alone is not enough: it also
/// ends an opening clause ("Reporting to the Deputy Principal, the ICT Officer runs ..."); nor is a slash, a plus or
/// a bar, which join two hats of one job ("Product Owner / Scrum Master").
fn listed_after_others(text: &str, start: usize, joiners: &[String]) -> bool {
    let lead = text[posting::floor_boundary(text, start.saturating_sub(24))..start].trim_end();
    let mut words = lead.rsplitn(3, |c: char| c.is_whitespace());
    let joined = |w: &str| !matches!(w, "/" | "+" | "|") && joiners.iter().any(|j| w.eq_ignore_ascii_case(j));
    match (words.next(), words.next()) {
        (Some(last), _) if joined(last) => true,
        // One short word between: an article or a possessive ("and the", "& our").
        (Some(last), Some(before)) => last.len() <= 3 && last.chars().all(char::is_alphabetic) && joined(before),
        _ => false,
    }
}

/// Per-thread scratch for matching postings with one rule set (scoring is [`crate::score`], and the front door
/// [`crate::Session`] joins the two).
#[derive(Debug)]
pub struct Scanner<'r> {
    rules: &'r RuleSet,
    norm: Normalized,
    hits: Vec<Hit>,
    tries: Tries,
    cues: Cues,
    boilerplate: Vec<(usize, usize)>,
    /// The word bytes of the normalised text, for the proximity stretches.
    word_bits: posting::WordBits,
    /// Postings read ahead by [`Scanner::prescan`]: each one's text (address and length, to know it again), its
    /// normalised text and its body automaton matches (pattern, start, end).
    ahead: Vec<Ahead>,
    /// How many entries of `ahead` hold postings of the current batch.
    ahead_len: usize,
    /// The entry of `ahead` the next scan takes (set by [`Scanner::take_prescan`]).
    ahead_next: Option<usize>,
    /// The sentence ends of the text being scanned ([`posting::sentence_stops`]).
    stops: Vec<usize>,
}

/// The regex tries of one posting, and the searches' state.
#[derive(Debug)]
struct Tries {
    /// (regex, start, end) of the candidates tried in this posting, in the automaton's order (by end): two prefix
    /// literals of one regex ("own", "owns") can start at the same place.
    tried: Vec<(u32, usize, usize)>,
    /// This thread's search cache per regex, made on first use.
    caches: Vec<Option<Cache>>,
    /// Per regex candidate (the rule set's `candidates`), its regex's state after the candidate's literal.
    resume: Vec<Resume>,
    /// The tries of regexes with tails ([`crate::ruleset::Pattern::tails`]) waiting for one to stand ahead of them.
    pending: Vec<Try>,
    /// Per regex, how many of its tries wait.
    waiting: Vec<u32>,
}

/// A regex candidate to try: its index in the rule set's `candidates`, and its literal's span in the normalised
/// text.
#[derive(Debug, Clone, Copy)]
struct Try {
    candidate: u32,
    regex: u32,
    start: u32,
    end: u32,
}

impl Tries {
    /// A tail literal of the regexes `tail` (regex ids) found at `start..end` of the normalised text: decides every
    /// try of those regexes waiting for one at or after its place. It is the first to end there (the walk reports
    /// by end, and no tail lies inside its regex's prefix literal, so none ended before the try was made), so it
    /// needs the fewest bytes held: the try is made if the regex can hold every byte up to its end, and no more
    /// spaces or bytes than a match can hold, and dropped otherwise, since every match ends with a tail and holds
    /// only such bytes.
    #[allow(clippy::too_many_arguments)]
    fn tail_found(
        &mut self,
        rules: &RuleSet,
        norm: &Normalized,
        text: &str,
        hits: &mut Vec<Hit>,
        tail: &[u32],
        start: u32,
        end: u32,
    ) {
        for &rid in tail {
            if self.waiting[rid as usize] == 0 {
                continue;
            }
            let rule = &rules.regexes[rid as usize];
            let (holds, spaces, longest) = (rule.holds.unwrap_or(NextBytes::ANY), rule.spaces, rule.longest);
            // The regex's tries not yet looked at: the search stops at the last of them.
            let (mut left, mut k) = (self.waiting[rid as usize], 0);
            while left > 0 && k < self.pending.len() {
                let t = self.pending[k];
                if t.regex != rid {
                    k += 1;
                    continue;
                }
                left -= 1;
                if t.start > start {
                    k += 1;
                    continue;
                }
                self.pending.swap_remove(k);
                self.waiting[rid as usize] -= 1;
                let held = end - t.start <= longest
                    && holds.admits_all(&norm.text.as_bytes()[t.start as usize..end as usize], spaces);
                if held {
                    self.make(rules, norm, text, hits, t);
                }
            }
        }
    }

    /// Ends the waiting: with `make`, every waiting try is made (the hit bound is near), else none is (no tail
    /// stands after them, so none can match).
    fn end_waiting(&mut self, rules: &RuleSet, norm: &Normalized, text: &str, hits: &mut Vec<Hit>, make: bool) {
        for k in 0..self.pending.len() {
            let t = self.pending[k];
            self.waiting[t.regex as usize] = 0;
            if make {
                self.make(rules, norm, text, hits, t);
            }
        }
        self.pending.clear();
    }

    /// Confirms one candidate: the anchored search of its regex from the literal's start, and the hit if it
    /// matches up to a word boundary.
    fn make(&mut self, rules: &RuleSet, norm: &Normalized, text: &str, hits: &mut Vec<Hit>, t: Try) {
        let c = rules.candidates[t.candidate as usize];
        let (rid, m_start, m_end) = (c.regex, t.start as usize, t.end as usize);
        let buf = norm.text.as_str();
        let re = &rules.regexes[rid as usize];
        let input = Input::new(&buf[m_start..]).anchored(Anchored::Yes);
        let (caches, resume) = (&mut self.caches, &mut self.resume[t.candidate as usize]);
        let quick = re.anchored().and_then(|dfa| {
            let cache = caches[rid as usize].get_or_insert_with(|| dfa.create_cache());
            match resume.state(dfa, cache, &buf.as_bytes()[m_start..m_end]) {
                Some(sid) => search_from(dfa, cache, sid, &buf.as_bytes()[m_end..], m_end - m_start),
                None => dfa.try_search_fwd(cache, &input).ok().map(|h| h.map(|h| h.offset())),
            }
        });
        // No lazy DFA, or it gave up (a Unicode word boundary in non-ASCII text): the full engine decides.
        let found = match quick {
            Some(end) => end,
            None => re.regex().and_then(|r| r.search(&input)).map(|m| m.end()),
        };
        if let Some(len) = found.filter(|&len| len > 0) {
            let (rs, re_end) = norm.original_span(m_start, m_start + len);
            if posting::right_boundary(text, re_end) {
                hits.push(Hit::found(
                    HitKind::Responsibility { role: re.role, area: re.area },
                    Signal::Regex { id: rid },
                    rs,
                    re_end,
                    1.0,
                ));
            }
        }
    }
}

/// One posting read ahead by [`Scanner::prescan`].
#[derive(Debug, Default)]
struct Ahead {
    text: (usize, usize),
    norm: Normalized,
    found: Vec<(u32, u32, u32)>,
}

/// The language cues found in one posting (byte spans of the original text).
#[derive(Debug, Default)]
struct Cues {
    neg_before: Vec<(usize, usize)>,
    neg_after: Vec<(usize, usize)>,
    neg_ignore: Vec<(usize, usize)>,
    bg_before: Vec<(usize, usize)>,
    bg_after: Vec<(usize, usize)>,
    sections: Vec<(SectionCue, usize, usize)>,
    /// Proximity-rule anchors found: (rule, side, start, end).
    anchors: Vec<(u32, u8, usize, usize)>,
    /// Stretches of the normalised text around trigger anchors, where the confirming sides are looked for
    /// ([`Normalized::near_stretch`]).
    windows: Vec<(usize, usize)>,
    /// The body walk's matches of confirming literals, (body pattern, start, end) in the normalised text, by end:
    /// those in `windows` are read.
    confirms: Vec<(u32, u32, u32)>,
    /// One bit per proximity rule: whether a trigger anchor of it was found.
    triggered: Vec<u64>,
}

impl Cues {
    fn clear(&mut self) {
        self.neg_before.clear();
        self.neg_after.clear();
        self.neg_ignore.clear();
        self.bg_before.clear();
        self.bg_after.clear();
        self.sections.clear();
        self.anchors.clear();
        self.windows.clear();
        self.confirms.clear();
        self.triggered.fill(0);
    }

    /// Files a trigger anchor of proximity rule `rule` at `start..end`.
    /// Keeps a confirming literal's match (body pattern, start, end) aside for the stretches, up to
    /// [`MAX_CONFIRMS`].
    #[inline]
    fn keep_confirm(&mut self, m: (u32, u32, u32)) {
        if self.confirms.len() < MAX_CONFIRMS {
            self.confirms.push(m);
        }
    }

    fn trigger(&mut self, rule: u32, side: u8, start: usize, end: usize) {
        self.anchors.push((rule, side, start, end));
        let word = rule as usize / 64;
        if word >= self.triggered.len() {
            self.triggered.resize(word + 1, 0);
        }
        self.triggered[word] |= 1 << (rule % 64);
    }

    /// Whether a trigger anchor of proximity rule `rule` was found.
    fn triggered(&self, rule: u32) -> bool {
        self.triggered.get(rule as usize / 64).is_some_and(|w| w & (1 << (rule % 64)) != 0)
    }

    /// Files a cue found at `start..end`.
    fn record(&mut self, cue: UseKind, start: usize, end: usize) {
        match cue {
            UseKind::NegationBefore => self.neg_before.push((start, end)),
            UseKind::NegationAfter => self.neg_after.push((start, end)),
            UseKind::NegationIgnore => self.neg_ignore.push((start, end)),
            UseKind::BackgroundBefore => self.bg_before.push((start, end)),
            UseKind::BackgroundAfter => self.bg_after.push((start, end)),
            UseKind::BoilerplateHeading => self.sections.push((SectionCue::BoilerplateHeading, start, end)),
            UseKind::ContentHeading => self.sections.push((SectionCue::ContentHeading, start, end)),
            UseKind::BoilerplatePhrase => self.sections.push((SectionCue::BoilerplatePhrase, start, end)),
            UseKind::CompanyPhrase => self.sections.push((SectionCue::CompanyPhrase, start, end)),
            UseKind::Responsibility { .. }
            | UseKind::Name { .. }
            | UseKind::Negative { .. }
            | UseKind::NearAnchor { .. } => {}
            // Title meanings are read by `title.rs`, never in a body.
            UseKind::Title { .. }
            | UseKind::TitleVague { .. }
            | UseKind::TitleField { .. }
            | UseKind::Seniority(_)
            | UseKind::TitleNoise(_) => {}
        }
    }

    /// Sorts the cues for lookup and drops negation cues inside a longer non-negating phrase ("not only").
    fn settle(&mut self) {
        self.sections.sort_by_key(|&(_, s, e)| (s, e));
        let ignore = &self.neg_ignore;
        let ignored = |&(s, e): &(usize, usize)| ignore.iter().any(|&(is, ie)| is <= s && e <= ie);
        self.neg_before.retain(|c| !ignored(c));
        self.neg_after.retain(|c| !ignored(c));
        self.neg_before.sort_by_key(|&(_, e)| e);
        self.neg_after.sort_by_key(|&(s, _)| s);
        self.bg_before.sort_by_key(|&(s, _)| s);
        self.bg_after.sort_by_key(|&(s, _)| s);
    }
}

impl<'r> Scanner<'r> {
    /// A scanner for `rules`.
    pub fn new(rules: &'r RuleSet) -> Self {
        Scanner {
            rules,
            norm: Normalized::default(),
            hits: Vec::new(),
            tries: Tries {
                tried: Vec::new(),
                caches: (0..rules.regexes.len()).map(|_| None).collect(),
                resume: vec![Resume::default(); rules.candidates.len()],
                pending: Vec::new(),
                waiting: vec![0; rules.regexes.len()],
            },
            cues: Cues::default(),
            boilerplate: Vec::new(),
            word_bits: posting::WordBits::default(),
            ahead: Vec::new(),
            ahead_len: 0,
            ahead_next: None,
            stops: Vec::new(),
        }
    }

    /// The rule set this scanner uses.
    pub fn rules(&self) -> &'r RuleSet {
        self.rules
    }

    /// The hits of the last [`Scanner::scan`].
    pub fn hits(&self) -> &[Hit] {
        &self.hits
    }

    /// The boilerplate ranges of the last [`Scanner::scan`] (byte ranges of the original text, sorted and
    /// disjoint).
    pub fn boilerplate(&self) -> &[(usize, usize)] {
        &self.boilerplate
    }

    /// Normalises a batch of postings and runs the body automaton over each, one after the other, ahead of their
    /// scans: the automaton's tables then stay in cache through the batch instead of being evicted by each
    /// posting's evidence work in between (about a tenth of `batch -j 1` on the bench corpus). Posting `k` is then
    /// scanned by calling [`Scanner::take_prescan`]`(k)` and scanning the same text (the same `&str`) next; the
    /// matches are the automaton's, in its order, either way. Texts longer than [`PRESCAN_MAX`], and those past
    /// [`PRESCAN_MATCHES`] matches in all, are left to their scans.
    pub(crate) fn prescan<'t>(&mut self, texts: impl IntoIterator<Item = &'t str>) {
        self.prescan_within(texts, PRESCAN_MATCHES);
    }

    /// [`Scanner::prescan`] keeping at most `budget` matches.
    fn prescan_within<'t>(&mut self, texts: impl IntoIterator<Item = &'t str>, mut budget: usize) {
        let rules = self.rules;
        self.ahead_len = 0;
        self.ahead_next = None;
        for text in texts {
            if self.ahead.len() == self.ahead_len {
                self.ahead.push(Ahead::default());
            }
            let a = &mut self.ahead[self.ahead_len];
            // Each of the (up to a chunk's worth of) kept buffers stays small: a long posting's room goes with it.
            a.norm.trim(PRESCAN_KEEP);
            if a.found.capacity() > PRESCAN_KEEP / 8 {
                a.found = Vec::new();
            }
            a.found.clear();
            a.text = (0, usize::MAX);
            if text.len() <= PRESCAN_MAX && budget > 0 {
                a.norm.build(text);
                a.found.extend(
                    rules
                        .automaton
                        .overlapping(a.norm.text.as_bytes(), a.norm.hidden_starts(), 0)
                        .take(budget.saturating_add(1))
                        .map(|(p, s, e)| (p, s as u32, e as u32)),
                );
                if a.found.len() > budget {
                    // Over the budget: this posting and the rest are scanned as they come.
                    a.found.clear();
                    a.found.shrink_to(budget.min(PRESCAN_MATCHES / 64));
                    budget = 0;
                } else {
                    budget -= a.found.len();
                    a.text = (text.as_ptr() as usize, text.len());
                }
            }
            self.ahead_len += 1;
        }
    }

    /// Makes the next scan use what [`Scanner::prescan`] did for posting `k` of its batch, if it is scanning that
    /// posting's text.
    pub(crate) fn take_prescan(&mut self, k: usize) {
        self.ahead_next = (k < self.ahead_len).then_some(k);
    }

    /// Finds every hit in `text` (ascending by start, the longer first). The slice is valid until the next scan.
    pub fn scan(&mut self, text: &str) -> &[Hit] {
        self.hits.clear();
        self.tries.tried.clear();
        self.cues.clear();
        self.boilerplate.clear();
        let ahead = self.ahead_next.take().filter(|&k| self.ahead[k].text == (text.as_ptr() as usize, text.len()));
        match ahead {
            Some(k) => {
                let a = &mut self.ahead[k];
                std::mem::swap(&mut self.norm, &mut a.norm);
                let found = std::mem::take(&mut a.found);
                self.match_literals(text, Some(&found));
                self.ahead[k].found = found;
            }
            None => {
                self.norm.build(text);
                self.match_literals(text, None);
            }
        }
        self.match_global_regexes(text);
        self.confirm_near(text);
        self.pair_near(text);
        // One automaton match can add several hits (a literal with several meanings): the bound is exact here.
        self.hits.truncate(MAX_HITS);
        self.hits.sort_unstable_by_key(|h| (h.start, std::cmp::Reverse(h.end), h.kind, h.signal));
        let stops = self.company_starts(text);
        self.cues.settle();
        if !stops && self.cues.sections.iter().any(|c| c.0.marks_a_sentence()) {
            posting::sentence_stops(text, &mut self.stops);
        }
        let job = self.rules.job_automaton.as_ref();
        let job_cue = |s: usize, e: usize| {
            job.is_some_and(|ac| {
                ac.overlapping(&text.as_bytes()[s..e])
                    .any(|(_, ms, me)| posting::left_boundary(text, s + ms) && posting::right_boundary(text, s + me))
            })
        };
        posting::boilerplate_ranges_in(text, &self.stops, &self.cues.sections, job_cue, &mut self.boilerplate);
        self.mark(text);
        &self.hits
    }

    /// Looks at every body automaton match of the normalised text: those `prescan` found (`ahead`), or else the
    /// automaton's, as it goes.
    fn match_literals(&mut self, text: &str, ahead: Option<&[(u32, u32, u32)]>) {
        let rules = self.rules;
        let buf = self.norm.text.as_str();
        let mut cursor = 0;
        let (mut stored, mut walked);
        let matches: &mut dyn Iterator<Item = (u32, u32, u32)> = match ahead {
            Some(found) => {
                stored = found.iter().copied();
                &mut stored
            }
            None => {
                walked = rules
                    .automaton
                    .overlapping(buf.as_bytes(), self.norm.hidden_starts(), 0)
                    .map(|(p, s, e)| (p, s as u32, e as u32));
                &mut walked
            }
        };
        // The anchor start, window and partner bounds that began the last proximity stretch.
        let mut last_from: Option<(usize, (u8, usize, usize))> = None;
        // Whether `word_bits` holds this text's (built at the first proximity anchor).
        let mut word_bits = false;
        while let Some((pattern, m_start, m_end)) = matches.next() {
            let act = rules.body_actions[pattern as usize];
            if act.tails != 0 && !self.tries.pending.is_empty() {
                let tail = &rules.tail_regexes[act.first_tail as usize..(act.first_tail + act.tails) as usize];
                self.tries.tail_found(rules, &self.norm, text, &mut self.hits, tail, m_start, m_end);
            }
            if act.uses == 0 && act.regexes == 0 {
                continue; // a tail and nothing else
            }
            if (pattern as usize) < rules.confirm_count {
                self.cues.keep_confirm((pattern, m_start, m_end));
                if (pattern as usize) < rules.confirm_only_count {
                    continue;
                }
            }
            let (m_start, m_end) = (m_start as usize, m_end as usize);
            if self.hits.len() + self.tries.pending.len() >= MAX_HITS {
                // The waiting tries could reach the bound: made now, without the tails still ahead.
                self.tries.end_waiting(rules, &self.norm, text, &mut self.hits, true);
            }
            if self.hits.len() >= MAX_HITS {
                // Enough evidence to score any role many times over: a giant posting stops here, memory bounded.
                // Its stretches so far still want their confirming sides.
                let reach = self.cues.windows.iter().map(|w| w.1).max().unwrap_or(0);
                for m in (&mut *matches).take_while(|m| m.2 as usize <= reach) {
                    if (m.0 as usize) < rules.confirm_count {
                        self.cues.keep_confirm(m);
                    }
                }
                break;
            }
            let (os, oe) = self.norm.original_span_near(m_start, m_end, &mut cursor);
            let left = posting::left_boundary(text, os);
            if !left && act.closed_left {
                // A match inside a word ("age" in "manage") stops here, before its meanings are read.
                continue;
            }
            let right = posting::right_boundary(text, oe);
            let first = act.first_use as usize;
            let uses = if right || !act.closed_right { act.uses as usize } else { 0 };
            for (ui, u) in rules.meanings[first..first + uses].iter().enumerate() {
                let Some((start, end)) = u.span_in(text, os, oe, left, right) else { continue };
                let kind = match u.kind {
                    UseKind::Responsibility { role, area } => HitKind::Responsibility { role, area },
                    UseKind::Name { role } => HitKind::Name { role },
                    UseKind::Negative { role } => HitKind::Negative { role },
                    // A confirming side is found by `confirm_near`, around the trigger anchors.
                    UseKind::NearAnchor { confirm: true, .. } => continue,
                    UseKind::NearAnchor { rule, side, confirm: false } => {
                        self.cues.trigger(rule, side, start, end);
                        let window = rules.near_rules[rule as usize].window;
                        let (words, len) = rules.near_partners[rule as usize];
                        if !word_bits {
                            self.word_bits.build(&self.norm.text);
                            word_bits = true;
                        }
                        let to = self.word_bits.near_stretch_end(&self.norm, m_end, window, words, len);
                        // Only the stretches' union is read. An anchor starting no earlier than the one that
                        // began the last stretch, with no wider a window or partner, begins its own stretch no
                        // earlier either, and not after itself: when it starts inside the last stretch, the two
                        // join without walking back.
                        let wide = (window, words, len);
                        match (last_from, self.cues.windows.last_mut()) {
                            (Some((s0, (w0, pw0, pl0))), Some(last))
                                if s0 <= m_start && window <= w0 && words <= pw0 && len <= pl0 && m_start <= last.1 =>
                            {
                                last.1 = last.1.max(to);
                            }
                            _ => {
                                let from = self.word_bits.near_stretch_start(&self.norm, m_start, window, words, len);
                                self.cues.windows.push((from, to));
                                last_from = Some((m_start, wide));
                            }
                        }
                        continue;
                    }
                    cue => {
                        self.cues.record(cue, os, oe);
                        continue;
                    }
                };
                let signal = Signal::Phrase { pattern: act.literal, use_: ui as u16 };
                self.hits.push(Hit::found(kind, signal, start, end, u.specificity));
            }
            if left {
                let first = act.first_regex as usize;
                let next = buf.as_bytes().get(m_end).copied();
                for (ci, c) in rules.candidates[first..first + act.regexes as usize].iter().enumerate() {
                    // Most tries would fail on the next byte: those are not made.
                    if !c.next.admits(next) {
                        continue;
                    }
                    let rid = c.regex;
                    // Candidates arrive by end, so any earlier one at this start ends after it: look back only that far.
                    let seen = self
                        .tries
                        .tried
                        .iter()
                        .rev()
                        .take_while(|&&(_, _, e)| e > m_start)
                        .any(|&(r, s, _)| r == rid && s == m_start);
                    if seen {
                        continue;
                    }
                    self.tries.tried.push((rid, m_start, m_end));
                    let t =
                        Try { candidate: (first + ci) as u32, regex: rid, start: m_start as u32, end: m_end as u32 };
                    if rules.regexes[rid as usize].holds.is_some() {
                        // Made when a tail of the regex is found after it (most never are).
                        self.tries.pending.push(t);
                        self.tries.waiting[rid as usize] += 1;
                    } else {
                        self.tries.make(rules, &self.norm, text, &mut self.hits, t);
                    }
                }
            }
        }
        self.tries.end_waiting(rules, &self.norm, text, &mut self.hits, false);
    }

    fn match_global_regexes(&mut self, text: &str) {
        let rules = self.rules;
        for &rid in &rules.global_regexes {
            let re = &rules.regexes[rid as usize];
            let Some(un) = re.regex() else { continue };
            for m in un.find_iter(self.norm.text.as_str()) {
                if self.hits.len() >= MAX_HITS {
                    return;
                }
                if m.is_empty() {
                    continue;
                }
                let (os, oe) = self.norm.original_span(m.start(), m.end());
                if posting::left_boundary(text, os) && posting::right_boundary(text, oe) {
                    self.hits.push(Hit::found(
                        HitKind::Responsibility { role: re.role, area: re.area },
                        Signal::Regex { id: rid },
                        os,
                        oe,
                        1.0,
                    ));
                }
            }
        }
    }

    /// Reads the confirming sides of the proximity rules that the body walk found in the stretches around the
    /// trigger anchors (merged, and read in order with the matches). A proximity rule's common side ("own",
    /// "lead") is only kept aside by the body scan.
    fn confirm_near(&mut self, text: &str) {
        let rules = self.rules;
        if self.cues.windows.is_empty() || self.cues.confirms.is_empty() {
            return;
        }
        self.cues.windows.sort_unstable();
        let windows = &self.cues.windows;
        let found = &self.cues.confirms;
        let rule_words = rules.near_rules.len().div_ceil(64);
        // The stretches are read in order, and the matches (by end) with them: one cursor walks the normalisation
        // map once.
        let (mut cursor, mut j) = (0, 0);
        for (ws, we) in merged_stretches(windows) {
            // The matches that lie wholly in the stretch: what a walk of the stretch alone would report that can
            // count (one starting at the stretch's start inside a word, or ending at its end inside one, would fail
            // its word boundary below).
            let from = j;
            while j < found.len() && found[j].2 as usize <= we {
                j += 1;
            }
            for &(pattern, ms, me) in &found[from..j] {
                if (ms as usize) < ws {
                    continue;
                }
                // Most confirming sides found serve no rule triggered in this posting: their rules' bits say so
                // before the span is mapped or a meaning read.
                let rules_of = &rules.confirm_rules[pattern as usize * rule_words..][..rule_words];
                if !rules_of.iter().zip(&self.cues.triggered).any(|(r, t)| r & t != 0) {
                    continue;
                }
                let act = rules.body_actions[pattern as usize];
                let (os, oe) = self.norm.original_span_near(ms as usize, me as usize, &mut cursor);
                let left = posting::left_boundary(text, os);
                let right = posting::right_boundary(text, oe);
                let first = act.first_use as usize;
                for u in &rules.meanings[first..first + act.uses as usize] {
                    let UseKind::NearAnchor { rule, side, confirm: true } = u.kind else { continue };
                    // A confirming side ("own", "team") serves many rules, and is found in every stretch: only the
                    // rules triggered in this posting can pair it (on the bench corpus, one such anchor in five is
                    // kept).
                    if !self.cues.triggered(rule) {
                        continue;
                    }
                    let Some((start, end)) = u.span_in(text, os, oe, left, right) else { continue };
                    self.cues.anchors.push((rule, side, start, end));
                }
            }
        }
    }

    /// Pairs the anchors of each proximity rule: a side-0 anchor and a side-1 anchor (either order, not
    /// overlapping) with at most the rule's window of words between them and no sentence break make one hit,
    /// spanning both. Each anchor pairs with its nearest partner; the search looks no further than the window can
    /// reach, so a posting of a million anchors costs linear time.
    fn pair_near(&mut self, text: &str) {
        let anchors = &mut self.cues.anchors;
        if anchors.is_empty() {
            return;
        }
        anchors.sort_unstable_by_key(|&(rule, side, s, e)| (rule, s, e, side));
        let rules = self.rules;
        let mut i = 0;
        while i < anchors.len() {
            let rule = anchors[i].0;
            let end = i + anchors[i..].partition_point(|a| a.0 == rule);
            let group = &anchors[i..end];
            let nr = &rules.near_rules[rule as usize];
            let reach = posting::near_reach(nr.window);
            let mut last: Option<usize> = None;
            for (k, &(_, side, s, e)) in group.iter().enumerate() {
                if side != 0 {
                    continue;
                }
                // Partners before (sorted by start: walk back while they could still end close enough) and after.
                let before = group[..k].iter().rev().take_while(|b| b.2 + posting::MAX_ANCHOR + reach >= s);
                let after = group[k + 1..].iter().take_while(|b| b.2 <= e + reach);
                let mut best: Option<(usize, usize, usize)> = None;
                for &(_, bside, bs, be) in before.chain(after) {
                    if bside != 1 {
                        continue;
                    }
                    let (gap_start, gap_end) = if be <= s {
                        (be, s)
                    } else if bs >= e {
                        (e, bs)
                    } else {
                        continue;
                    };
                    if let Some(words) = posting::near_gap_words(text, gap_start, gap_end, nr.window as usize) {
                        if best.is_none_or(|(w, _, _)| words < w) {
                            best = Some((words, s.min(bs), e.max(be)));
                        }
                    }
                }
                if let Some((_, hs, he)) = best {
                    // Pairs that overlap the rule's last hit ("own and order the backlog": two pairs) widen it.
                    if let Some(k) = last.filter(|&k| hs < self.hits[k].end) {
                        let h = &mut self.hits[k];
                        (h.start, h.end) = (h.start.min(hs), h.end.max(he));
                        continue;
                    }
                    if self.hits.len() >= MAX_HITS {
                        continue;
                    }
                    last = Some(self.hits.len());
                    self.hits.push(Hit::found(
                        HitKind::Responsibility { role: nr.role, area: nr.area },
                        Signal::Near { id: rule },
                        hs,
                        he,
                        nr.specificity,
                    ));
                }
            }
            i = end;
        }
    }

    /// Whether a role's name at `start..end` is someone else: an `other_person_before` cue ("reports to the",
    /// "with a") ends within the negation gap before it, or an `other_person_after` cue ("reports to you") starts
    /// within the gap after it, in the same clause. Only the few normalised bytes around the name are read, so the
    /// cues' common words never enter the body scan.
    fn someone_else(&self, text: &str, start: usize, end: usize) -> bool {
        let gap = self.rules.negation_gap;
        let norm = &self.norm;
        let (ns, ne) = (norm.normalized_offset(start), norm.normalized_offset(end));
        let found = |ac: &Literals, lo: usize, hi: usize, fits: &dyn Fn(usize, usize) -> bool| {
            let (lo, hi) = (posting::floor_boundary(&norm.text, lo), posting::ceil_boundary(&norm.text, hi));
            lo < hi
                && ac.overlapping(&norm.text.as_bytes()[lo..hi]).any(|(_, ms, me)| {
                    let (os, oe) = norm.original_span(lo + ms, lo + me);
                    posting::left_boundary(text, os) && posting::right_boundary(text, oe) && fits(os, oe)
                })
        };
        // A name listed after others ("work closely with our planners, the account managers and the HR partner")
        // is someone else as far back as the list's cue goes.
        let reach = if listed_after_others(text, start, &self.rules.title_joiners) { LIST_REACH } else { gap };
        let before =
            |_: usize, oe: usize| oe <= start && start - oe <= reach && !posting::has_clause_break(text, oe, start);
        let after = |os: usize, _: usize| os >= end && os - end <= gap && !posting::has_clause_break(text, end, os);
        // A cue that ends at most `reach` original bytes before the name starts at most its own length before that
        // point's place in the normalised text (the map is monotone); one that starts at most `gap` bytes after the
        // name ends at most its own length after that point's place. So the windows are exact, whatever the
        // normalisation squeezed or widened in between.
        self.rules.other_automaton.as_ref().is_some_and(|ac| {
            let lo = norm.normalized_offset(start.saturating_sub(reach)).saturating_sub(ac.longest());
            found(ac, lo, ns, &before)
        }) || self.rules.other_after_automaton.as_ref().is_some_and(|ac| {
            let hi = (norm.normalized_offset(end + gap) + ac.longest()).min(norm.text.len());
            found(ac, ne, hi, &after)
        })
    }

    /// Files a company-start cue for every sentence holding evidence that opens with one of the language's company
    /// words ("We ...", "Our ..."): only those sentences can change a verdict, and their openings are read apart, so
    /// "we" and "our" never enter the body scan. Returns whether it found the text's sentence stops (in
    /// `self.stops`).
    fn company_starts(&mut self, text: &str) -> bool {
        if self.rules.company_starts.is_empty() || self.hits.is_empty() {
            return false;
        }
        let mut seen_to = 0;
        posting::sentence_stops(text, &mut self.stops);
        for k in 0..self.hits.len() {
            let (hs, he) = (self.hits[k].start, self.hits[k].end);
            if hs < seen_to {
                continue;
            }
            let (s, e) = posting::sentence_around_in(text, &self.stops, hs, he);
            seen_to = e.max(he);
            let Some(p) = text[s..e].char_indices().find(|&(_, c)| posting::is_word_char(c)).map(|(i, _)| s + i) else {
                continue;
            };
            // The language's opening words are short and ASCII ("we", "our"): compared in place, case aside.
            let opening = &text.as_bytes()[p..e];
            let opens = self.rules.company_starts.iter().any(|w| {
                opening.len() >= w.len()
                    && opening[..w.len()].eq_ignore_ascii_case(w.as_bytes())
                    && text[p + w.len()..].chars().next().is_none_or(|c| !posting::is_word_char(c))
            });
            if opens {
                self.cues.sections.push((SectionCue::CompanyStart, p, p + 1));
            }
        }
        true
    }

    /// Whether `start..end` stands in a background clause: a background cue before it (within the gap, in the
    /// same clause), after it, or overlapping it ("engineering background").
    fn in_background(&self, text: &str, start: usize, end: usize) -> bool {
        let gap = self.rules.background_gap;
        let cues = &self.cues;
        let i = cues.bg_before.partition_point(|&(cs, _)| cs < end);
        let before = i > 0 && {
            let (_, ce) = cues.bg_before[i - 1];
            ce > start || (start - ce <= gap && !posting::has_clause_break(text, ce, start))
        };
        if before {
            return true;
        }
        let j = cues.bg_after.partition_point(|&(cs, _)| cs < start);
        j < cues.bg_after.len() && {
            let (cs, _) = cues.bg_after[j];
            cs < end || (cs - end <= gap && !posting::has_clause_break(text, end, cs))
        }
    }

    /// Marks negated, boilerplate and background hits, and drops background-profile evidence found outside a
    /// background clause. `neg_before` is sorted by end, `neg_after` by start.
    fn mark(&mut self, text: &str) {
        let gap = self.rules.negation_gap;
        let any_background = !self.cues.bg_before.is_empty() || !self.cues.bg_after.is_empty();
        let rules = self.rules;
        let is_profile = |h: &Hit| matches!(h.kind, HitKind::Responsibility { role, area } if rules.roles[role as usize].areas[area as usize].background);
        let mut profile = false;
        for k in 0..self.hits.len() {
            let (hs, he) = (self.hits[k].start, self.hits[k].end);
            let background = any_background && self.in_background(text, hs, he);
            let h = &mut self.hits[k];
            h.background = background;
            profile |= is_profile(h);
        }
        if profile {
            self.hits.retain(|h| h.background || !is_profile(h));
        }
        // Hits come by start: what depends only on the start (a negation before, boilerplate) is worked out once per
        // start, and whether a name is someone else once per span.
        let mut at: Option<(usize, bool, bool)> = None;
        let mut elsewhere_at: Option<(usize, usize, bool)> = None;
        // The end of the last name found to be someone else: a name listed right after it is someone else too
        // ("under the direction of your team lead, project manager, product owner and manager").
        let mut other_end: Option<usize> = None;
        for k in 0..self.hits.len() {
            let (hs, he) = (self.hits[k].start, self.hits[k].end);
            if matches!(self.hits[k].kind, HitKind::Name { .. }) {
                let elsewhere = match elsewhere_at {
                    Some((s, e, x)) if (s, e) == (hs, he) => x,
                    _ => {
                        let listed = other_end.is_some_and(|pe| {
                            pe <= hs
                                && hs - pe <= MAX_ALIAS_GAP
                                && posting::only_listed(&text[pe..hs], &rules.title_joiners)
                        });
                        listed || self.someone_else(text, hs, he)
                    }
                };
                elsewhere_at = Some((hs, he, elsewhere));
                if elsewhere {
                    other_end = Some(other_end.map_or(he, |pe| pe.max(he)));
                }
                self.hits[k].elsewhere = elsewhere;
            }
            let (before, boilerplate) = match at {
                Some((s, before, boilerplate)) if s == hs => (before, boilerplate),
                _ => {
                    let i = self.cues.neg_before.partition_point(|&(_, e)| e <= hs);
                    let before = i > 0 && {
                        let (_, ce) = self.cues.neg_before[i - 1];
                        hs - ce <= gap && !posting::has_clause_break(text, ce, hs)
                    };
                    let b = self.boilerplate.partition_point(|&(_, e)| e <= hs);
                    (before, b < self.boilerplate.len() && self.boilerplate[b].0 <= hs)
                }
            };
            at = Some((hs, before, boilerplate));
            let j = self.cues.neg_after.partition_point(|&(s, _)| s < he);
            let after = j < self.cues.neg_after.len() && {
                let (cs, _) = self.cues.neg_after[j];
                cs - he <= gap && !posting::has_clause_break(text, he, cs)
            };
            let h = &mut self.hits[k];
            h.negated = before || after;
            h.boilerplate = boilerplate;
        }
        self.mark_aliases(text);
    }

    /// Marks the name of a role joined to the name of a role that refines it (`builds_on`), "Tech Owner /
    /// Technical Lead" or "Technical Product Owner & Product Owner": one job under two names, the refining one's.
    /// Two roles that do not refine each other ("Product Owner / Scrum Master") are a dual job: both names count.
    fn mark_aliases(&mut self, text: &str) {
        let rules = self.rules;
        let refines = |a: RoleIdx, b: RoleIdx| rules.roles[a as usize].builds_on.contains(&b);
        // The last name mention seen: its index and role.
        let mut last: Option<(usize, RoleIdx)> = None;
        for k in 0..self.hits.len() {
            let HitKind::Name { role } = self.hits[k].kind else { continue };
            let start = self.hits[k].start;
            if let Some((i, before)) = last {
                let prev_end = self.hits[i].end;
                // A name inside the last one ("Product Owner" in "Technical Product Owner") is no new neighbour.
                if start < prev_end {
                    continue;
                }
                let gap = text.get(prev_end..start).unwrap_or("");
                if gap.len() <= MAX_ALIAS_GAP && posting::only_joined(gap, &rules.title_joiners) {
                    if refines(role, before) {
                        self.hits[i].alias = true;
                    } else if refines(before, role) {
                        self.hits[k].alias = true;
                    }
                }
            }
            last = Some((k, role));
        }
    }
}

/// The union of sorted stretches `(start, end)`, as disjoint stretches in order (touching ones are joined).
fn merged_stretches(windows: &[(usize, usize)]) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut k = 0;
    std::iter::from_fn(move || {
        let (ws, mut we) = *windows.get(k)?;
        k += 1;
        while k < windows.len() && windows[k].0 <= we {
            we = we.max(windows[k].1);
            k += 1;
        }
        Some((ws, we))
    })
}

/// Start of the word holding byte `i` (for `*phrase`).
fn word_start(text: &str, i: usize) -> usize {
    text[..i].char_indices().rev().take_while(|&(_, c)| posting::is_word_char(c)).last().map_or(i, |(j, _)| j)
}

/// End of the word holding byte `i - 1` (for `phrase*`).
fn word_end(text: &str, i: usize) -> usize {
    text[i..].char_indices().find(|&(_, c)| !posting::is_word_char(c)).map_or(text.len(), |(j, _)| i + j)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compile::compile;
    use crate::rulefile::Source;

    const ROLE: &str = r#"
id = "po"
name = "PO"
family = "product"
summary = "s"
names = ["product owner"]
[[areas]]
id = "backlog"
name = "Backlog"
weight = 1.0
phrases = ["product backlog", "backlog", "stakeholder*", "user stories", "*verantwortung", "オーナー"]
patterns = ['own(?:s|ing)? the (?:product )?backlog']
[[areas]]
id = "people"
name = "People"
weight = 1.0
phrases = ["people management"]
"#;
    const LANG: &str = r#"
[language]
id = "en"
negation_before = ["no", "not", "not a"]
negation_after = ["not required"]
negation_ignore = ["not only"]
other_person_before = ["reports to the", "work with"]
other_person_after = ["reports to you", "in your team"]
boilerplate_headings = ["about us"]
content_headings = ["requirements"]
boilerplate_phrases = ["equal opportunity employer"]
"#;

    fn rules() -> RuleSet {
        pack(ROLE, LANG)
    }

    /// The test pack with the role's regexes replaced by `patterns` (a TOML list).
    fn rules_with_patterns(patterns: &str) -> RuleSet {
        let role =
            ROLE.replace("patterns = ['own(?:s|ing)? the (?:product )?backlog']", &format!("patterns = {patterns}"));
        pack(&role, LANG)
    }

    /// A pack of one role file and one language file.
    fn pack(role: &str, lang: &str) -> RuleSet {
        let src = |name: &str, text: &str| Source { name: name.into(), text: text.into() };
        compile(&[src("po.toml", role), src("en.toml", lang)]).unwrap().rules
    }

    fn phrases(rs: &RuleSet, text: &str) -> Vec<(String, bool, bool)> {
        let mut sc = Scanner::new(rs);
        sc.scan(text).iter().map(|h| (text[h.start..h.end].to_string(), h.negated, h.boilerplate)).collect()
    }

    #[test]
    fn spans_point_into_the_original_text() {
        let rs = rules();
        let text = "You OWN the\n  Product-Backlog; talk to Stakeholders &amp; write <b>user</b> stories.";
        let got = phrases(&rs, text);
        let spans: Vec<&str> = got.iter().map(|g| g.0.as_str()).collect();
        // Overlapping matches are all reported ("Backlog" inside "Product-Backlog"); scoring counts the longest.
        assert_eq!(
            spans,
            vec!["OWN the\n  Product-Backlog", "Product-Backlog", "Backlog", "Stakeholders", "user</b> stories"]
        );
    }

    #[test]
    fn a_regex_runs_once_per_place_whatever_literal_found_it() {
        let rs = rules();
        let mut sc = Scanner::new(&rs);
        // "own" and "owns" are both prefix literals of the same regex, and both start at "owns".
        let regex_hits =
            sc.scan("She owns the backlog.").iter().filter(|h| matches!(h.signal, Signal::Regex { .. })).count();
        assert_eq!(regex_hits, 1);
    }

    /// Every try of every regex of `rs` at every place its literal stands in `texts`, whole search against resumed
    /// (a cache so small it is cleared again and again if `tiny`): (tries, matches, tries the DFA gave up on, cache
    /// clears).
    fn resume_against_whole_search(rs: &RuleSet, texts: &[String], tiny: bool) -> (usize, usize, usize, usize) {
        let mut resumes = vec![Resume::default(); rs.candidates.len()];
        let mut caches: Vec<Option<(DFA, Cache)>> = (0..rs.regexes.len()).map(|_| None).collect();
        let (mut tries, mut matches, mut quits) = (0, 0, 0);
        for text in texts {
            let norm = Normalized::new(text);
            let buf = norm.text.as_bytes();
            for (p, s, e) in rs.automaton.overlapping(buf, norm.hidden_starts(), 0) {
                let act = rs.body_actions[p as usize];
                for ci in act.first_regex as usize..(act.first_regex + act.regexes) as usize {
                    let re = &rs.regexes[rs.candidates[ci].regex as usize];
                    let Some(dfa) = re.anchored() else { continue };
                    let (dfa, cache) = caches[rs.candidates[ci].regex as usize].get_or_insert_with(|| {
                        let dfa = match tiny {
                            false => dfa.clone(),
                            true => DFA::builder()
                                .configure(
                                    DFA::config()
                                        .unicode_word_boundary(true)
                                        .cache_capacity(0)
                                        .skip_cache_capacity_check(true),
                                )
                                .build(&format!("^(?:{})", re.source))
                                .expect("builds"),
                        };
                        let cache = dfa.create_cache();
                        (dfa, cache)
                    });
                    let input = Input::new(&buf[s..]).anchored(Anchored::Yes);
                    let whole = dfa.try_search_fwd(cache, &input).ok().map(|h| h.map(|h| h.offset()));
                    let resumed = match resumes[ci].state(dfa, cache, &buf[s..e]) {
                        Some(sid) => search_from(dfa, cache, sid, &buf[e..], e - s),
                        None => whole,
                    };
                    assert_eq!(resumed, whole, "`{}` at {s} in {:?}", re.source, norm.text);
                    tries += 1;
                    matches += usize::from(whole.flatten().is_some());
                    quits += usize::from(whole.is_none());
                }
            }
        }
        let clears = caches.iter().flatten().map(|(_, cache)| cache.clear_count()).sum();
        (tries, matches, quits, clears)
    }

    /// The default pack's regexes over its own examples (written to hold evidence, so many tries match) and a few
    /// texts that end right after a literal: resuming after the literal finds what a whole search finds, also when
    /// the cache is cleared again and again (which drops the kept states).
    #[test]
    fn resuming_after_the_literal_finds_what_a_whole_search_finds() {
        let rs = crate::default_rules().expect("the default pack compiles");
        let mut texts: Vec<String> = rs.examples().iter().map(|e| e.text.clone()).collect();
        texts.extend(["lead", "leads the", "own the", "design", "make sure"].map(String::from));
        for tiny in [false, true] {
            let (tries, matches, _, clears) = resume_against_whole_search(&rs, &texts, tiny);
            assert!(tries > 2_000 && matches > 200, "{tries} tries, {matches} matches");
            assert_eq!(clears > 0, tiny, "{clears} cache clears");
        }
    }

    /// A user's regexes with Unicode word boundaries and classes, over text with accented letters: where the DFA
    /// gives up (a Unicode boundary next to a non-ASCII byte), the resumed try gives up too, and the full engine
    /// decides, as it did for a whole search.
    #[test]
    fn a_resumed_try_gives_up_where_a_whole_search_does() {
        let rs = rules_with_patterns(concat!(
            r"['own(?:s|ing)? the \w+ backlog\b', 'backlog (?:of|for) \w+\b', ",
            r"'stakeholders? .{1,12} équipe']",
        ));
        let texts: Vec<String> = [
            "She owns the Produkt backlog and the backlog for Zürich",
            "He owns the café backlogé; a backlog of tâches",
            "stakeholders of the équipe, stakeholder réunis équipe",
            "owns the ünique backlog",
        ]
        .map(String::from)
        .to_vec();
        let (tries, matches, quits, _) = resume_against_whole_search(&rs, &texts, false);
        assert!(tries >= 8 && matches >= 3 && quits >= 1, "{tries} tries, {matches} matches, {quits} gave up");
        // And the scan finds those matches through the full engine where the DFA gives up.
        let mut sc = Scanner::new(&rs);
        let found = sc.scan(&texts[1]).iter().filter(|h| matches!(h.signal, Signal::Regex { .. })).count();
        assert!(found >= 1, "{found}");
    }

    /// A regex whose matches all end with a tail literal is tried only where the walk finds one after its literal
    /// with nothing between that the regex cannot hold, and still finds its matches.
    #[test]
    fn a_try_waits_for_a_tail_of_its_regex() {
        let rs = rules_with_patterns(r"['manag(?:e|es|ing) (?:[a-z]+ ){0,3}team of (?:[a-z]+ )?engineers']");
        assert!(rs.regexes[0].holds.is_some(), "the regex has a tail");
        // (regex hits, whether the regex was tried: its search cache is made by the first try)
        let scan = |texts: &[&str]| {
            let mut sc = Scanner::new(&rs);
            let mut found = 0;
            for t in texts {
                found = sc.scan(t).iter().filter(|h| matches!(h.signal, Signal::Regex { .. })).count();
            }
            (found, sc.tries.caches[0].is_some())
        };
        assert_eq!(scan(&["You manage a small team of backend engineers."]), (1, true));
        assert_eq!(scan(&["You MANAGE our Team of Engineers"]), (1, true), "as the normalised text reads");
        assert_eq!(scan(&["You manage the budget and the roadmap."]), (0, false), "no tail: no try");
        assert_eq!(scan(&["You manage the budget. Our team of engineers"]), (0, false), "a byte it cannot hold");
        assert_eq!(scan(&["You manage a very large distributed team of engineers"]), (0, true), "the regex decides");
        assert_eq!(scan(&["You manage the budget", "engineers"]), (0, false), "a try waits within its posting");
    }

    /// Every match of the default pack's regexes that have a tail and end where a word may, over the pack's
    /// examples and the fixture postings, holds only the bytes the tail lists and ends with a tail literal the walk
    /// reports at or after the match's start: the test that skips a try never skips one that would make a hit.
    #[test]
    fn every_match_of_a_regex_ends_with_a_tail_the_walk_reports() {
        let rs = crate::default_rules().expect("the default pack compiles");
        assert!(rs.regexes.iter().filter(|r| r.holds.is_some()).count() >= 50, "most regexes have a tail");
        let mut texts: Vec<String> = rs.examples().iter().map(|e| e.text.clone()).collect();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/postings");
        for entry in std::fs::read_dir(dir).expect("fixture postings") {
            texts.push(std::fs::read_to_string(entry.expect("entry").path()).expect("a fixture"));
        }
        let mut checked = 0;
        for text in &texts {
            let norm = Normalized::new(text);
            let buf = norm.text.as_bytes();
            let found: Vec<(u32, usize, usize)> = rs.automaton.overlapping(buf, norm.hidden_starts(), 0).collect();
            let tails_of = |p: u32| {
                let a = rs.body_actions[p as usize];
                &rs.tail_regexes[a.first_tail as usize..(a.first_tail + a.tails) as usize]
            };
            for &(p, s, _) in &found {
                let act = rs.body_actions[p as usize];
                for c in &rs.candidates[act.first_regex as usize..(act.first_regex + act.regexes) as usize] {
                    let re = &rs.regexes[c.regex as usize];
                    let Some(holds) = re.holds else { continue };
                    let input = Input::new(&buf[s..]).anchored(Anchored::Yes);
                    let Some(m) = re.regex().expect("compiles").search(&input).filter(|m| m.end() > 0) else {
                        continue;
                    };
                    let end = s + m.end();
                    // A match that ends inside a word is no hit (the walk does not report a tail there either).
                    if !posting::right_boundary(text, norm.original_span(s, end).1) {
                        continue;
                    }
                    let at = &norm.text[s..end];
                    assert!(buf[s..end].iter().all(|&b| holds.admits(Some(b))), "`{}` holds {at:?}", re.source);
                    let spaces = buf[s..end].iter().filter(|&&b| b == b' ').count() as u32;
                    assert!(spaces <= re.spaces, "`{}` holds {spaces} spaces in {at:?}", re.source);
                    assert!(end - s <= re.longest as usize, "`{}` is longer than its bound at {at:?}", re.source);
                    let reported =
                        found.iter().any(|&(q, ts, te)| ts >= s && te <= end && tails_of(q).contains(&c.regex));
                    assert!(reported, "`{}`: no tail reported in {at:?}", re.source);
                    checked += 1;
                }
            }
        }
        assert!(checked >= 100, "{checked} matches checked");
    }

    #[test]
    fn a_posting_read_ahead_scans_as_it_would_alone() {
        let rs = rules();
        let texts = [
            "You OWN the\n  Product-Backlog; talk to Stakeholders &amp; write <b>user</b> stories.",
            "",
            "She owns the backlog. No people management. Backlog: not required.",
            "About us\nOur stakeholders love us.\nRequirements\n- backlog",
            "backlog backlog backlog backlog backlog backlog backlog backlog",
        ];
        let alone: Vec<Vec<Hit>> = texts.iter().map(|t| Scanner::new(&rs).scan(t).to_vec()).collect();
        // Budgets from none to plenty: the postings past it are scanned as they come.
        for budget in [0, 1, 5, 12, usize::MAX] {
            let mut sc = Scanner::new(&rs);
            sc.prescan_within(texts, budget);
            for (k, t) in texts.iter().enumerate() {
                sc.take_prescan(k);
                assert_eq!(sc.scan(t), &alone[k][..], "budget {budget}, posting {k}");
            }
            // A text that is not the one read ahead is scanned afresh.
            sc.prescan_within(texts, budget);
            sc.take_prescan(0);
            let other = texts[2].to_string();
            assert_eq!(sc.scan(&other), &alone[2][..]);
        }
    }

    #[test]
    fn word_boundaries_hold() {
        let rs = rules();
        assert!(phrases(&rs, "backlogs and xbacklog").is_empty());
        assert_eq!(phrases(&rs, "Produktverantwortung").len(), 1, "leading * allows a compound");
        assert_eq!(phrases(&rs, "プロダクトオーナーを募集").len(), 1, "no spaces needed in Japanese");
    }

    #[test]
    fn negation_in_the_same_clause_only() {
        let rs = rules();
        let got = phrases(&rs, "This is not a Product Owner role. No people management. Backlog: not required.");
        assert_eq!(
            got,
            vec![
                ("Product Owner".into(), true, false),
                ("people management".into(), true, false),
                ("Backlog".into(), true, false)
            ]
        );
        let got = phrases(&rs, "No travel. People management of four.");
        assert_eq!(got, vec![("People management".into(), false, false)]);
        let got = phrases(&rs, "not only the backlog");
        assert_eq!(got, vec![("backlog".into(), false, false)]);
    }

    #[test]
    fn a_name_after_a_colleague_cue_is_someone_else() {
        let rs = rules();
        let mut sc = Scanner::new(&rs);
        let flags = |sc: &mut Scanner, t: &str| -> Vec<bool> { sc.scan(t).iter().map(|h| h.elsewhere).collect() };
        assert_eq!(flags(&mut sc, "You report to the Product Owner."), vec![false], "cue is 'reports to the'");
        assert_eq!(flags(&mut sc, "He reports to the Product Owner."), vec![true]);
        assert_eq!(flags(&mut sc, "You work with our Product Owner daily."), vec![true]);
        assert_eq!(flags(&mut sc, "We work with clients. Product Owner wanted."), vec![false], "clause break");
        assert_eq!(flags(&mut sc, "You work with stakeholders"), vec![false], "only names are marked");
        // A cue after the name: the job manages that person.
        assert_eq!(flags(&mut sc, "A Product Owner reports to you."), vec![true]);
        assert_eq!(flags(&mut sc, "The Product Owner in your team."), vec![true]);
        assert_eq!(flags(&mut sc, "Be our Product Owner. Two analysts report to you."), vec![false], "clause break");
        assert_eq!(
            flags(&mut sc, "Product Owner wanted by a large and growing company where somebody reports to you."),
            vec![false],
            "gap"
        );
        // A name listed after someone else's is someone else's too, however long the list.
        let list = "He reports to the Product Owner, Product Owner, Product Owner / Product Owner.";
        assert_eq!(flags(&mut sc, list), vec![true; 4]);
        assert_eq!(flags(&mut sc, "He reports to the Product Owner. Product Owner wanted."), vec![true, false]);
        assert_eq!(flags(&mut sc, "He reports to the Product Owner and works as a Product Owner."), vec![true, false]);
    }

    #[test]
    fn a_colleague_cue_reaches_its_gap_in_original_bytes_however_normalisation_widens_the_text() {
        let rs = rules();
        let gap = rs.negation_gap;
        let mut sc = Scanner::new(&rs);
        // "Ⱥ" (2 bytes) lower-cases to "ⱥ" (3 bytes): between the cue and the name the normalised text is half as
        // wide again as the original, and the cue still reaches exactly `gap` original bytes.
        assert_eq!(Normalized::new("Ⱥ").text, "ⱥ");
        for (k, before) in [(gap / 2 - 1, true), (gap / 2, false)] {
            let filler = "Ⱥ".repeat(k);
            let text = format!("You work with {filler} Product Owner now.");
            let name = sc.scan(&text).iter().find(|h| matches!(h.kind, HitKind::Name { .. })).copied().expect("a name");
            let cue_end = text.find("with").unwrap() + 4;
            assert_eq!(name.start - cue_end <= gap, before, "{} bytes", name.start - cue_end);
            assert_eq!(name.elsewhere, before, "{k} wide letters");
            // And a cue after the name: "reports to you".
            let text = format!("A Product Owner {filler} reports to you.");
            let name = sc.scan(&text).iter().find(|h| matches!(h.kind, HitKind::Name { .. })).copied().expect("a name");
            assert_eq!(name.elsewhere, before, "{k} wide letters after");
        }
    }

    #[test]
    fn a_name_ending_a_list_of_colleagues_is_someone_else() {
        let rs = crate::default_rules().unwrap();
        let mut sc = Scanner::new(&rs);
        let elsewhere = |sc: &mut Scanner, t: &str, name: &str| -> Vec<bool> {
            let at = t.find(name).unwrap();
            sc.scan(t)
                .iter()
                .filter(|h| h.start == at && matches!(h.kind, HitKind::Name { .. }))
                .map(|h| h.elsewhere)
                .collect()
        };
        let list = "You work closely with our transport planners, the account managers who look after our clients, \
            and the Product Owner of the portal.";
        assert_eq!(elsewhere(&mut sc, list, "Product Owner"), vec![true], "the list's cue is far back");
        let one = "You work closely with our transport planners, the account managers who look after our clients. \
            The Product Owner of the portal is you.";
        assert_eq!(elsewhere(&mut sc, one, "Product Owner"), vec![false], "a sentence ends the list");
        // A comma alone also ends an opening clause: the name after it is the job.
        let opening = "Reporting to the Deputy Principal for digital learning, the ICT Officer runs the school's IT.";
        assert_eq!(elsewhere(&mut sc, opening, "ICT Officer"), vec![false]);
        assert!(listed_after_others("planners and the CTO", 16, &rs.title_joiners));
        assert!(listed_after_others("planners & our CTO", 14, &rs.title_joiners));
        assert!(!listed_after_others("planners, the CTO", 14, &rs.title_joiners));
        assert!(!listed_after_others("meet the CTO", 9, &rs.title_joiners));
        assert!(!listed_after_others("Product Owner / CTO", 16, &rs.title_joiners), "two hats of one job");
    }

    #[test]
    fn company_prose_is_boilerplate_unless_it_speaks_of_the_job() {
        let lang = LANG.replace(
            "boilerplate_phrases = [\"equal opportunity employer\"]",
            "boilerplate_phrases = [\"equal opportunity employer\", \"referral program\"]\ncompany_phrases = [\"our mission\", \"we are a\"]\njob_phrases = [\"you\", \"this role\"]",
        );
        let rs = pack(ROLE, &lang);
        let text =
            "We are a fintech whose stakeholders love the product backlog. Our mission is user stories for all. \
                    You will own the product backlog. In this role our mission is your backlog. \
                    Ask about our referral program for user stories.";
        let got = phrases(&rs, text);
        let flags: Vec<(&str, bool)> = got.iter().map(|(t, _, b)| (t.as_str(), *b)).collect();
        assert_eq!(
            flags,
            [
                ("stakeholders", true),
                ("product backlog", true),
                ("backlog", true),
                ("user stories", true),
                ("own the product backlog", false),
                ("product backlog", false),
                ("backlog", false),
                ("backlog", false),
                ("user stories", true),
            ],
            "company sentences without a job cue, and hiring prose whatever it holds"
        );
    }

    #[test]
    fn a_sentence_opened_by_the_company_is_company_prose() {
        let lang = LANG.replace(
            "boilerplate_phrases = [\"equal opportunity employer\"]",
            "company_sentence_starts = [\"we\", \"our\"]\njob_phrases = [\"you\", \"we need\"]",
        );
        let rs = pack(ROLE, &lang);
        let text = "We grew our product backlog tenfold. - Our stakeholders love it. The team owns user stories; \
                    we keep the backlog small. We need someone for the product backlog. You write user stories.";
        let flags: Vec<(String, bool)> = phrases(&rs, text).into_iter().map(|(t, _, b)| (t, b)).collect();
        let want: Vec<(String, bool)> = [
            ("product backlog", true),
            ("backlog", true),
            ("stakeholders", true),
            ("user stories", false),
            ("backlog", false),
            ("product backlog", false),
            ("backlog", false),
            ("user stories", false),
        ]
        .iter()
        .map(|&(t, b)| (t.to_string(), b))
        .collect();
        assert_eq!(flags, want, "opened by we/our: company; 'we' mid-sentence or a job cue: the job");
    }

    #[test]
    fn boilerplate_is_marked() {
        let rs = rules();
        let got = phrases(&rs, "About us\nOur stakeholders love us.\nRequirements\n- backlog\nWe are an equal opportunity employer for every product owner.");
        assert_eq!(
            got,
            vec![
                ("stakeholders".into(), false, true),
                ("backlog".into(), false, false),
                ("product owner".into(), false, true)
            ]
        );
    }

    #[test]
    fn a_boilerplate_sentence_is_found_in_a_posting_without_evidence() {
        let rs = rules();
        let mut sc = Scanner::new(&rs);
        let text = "Join a small team. We are an equal opportunity employer. Apply today.";
        assert!(sc.scan(text).is_empty());
        let (s, e) = (text.find(". We").unwrap() + 1, text.find(" Apply").unwrap());
        assert_eq!(sc.boilerplate(), &[(s, e)]);
    }
}

#[cfg(test)]
mod wording_tests {
    use super::*;
    use crate::automaton::WordLiterals;
    use crate::compile::compile;
    use crate::posting::Posting;
    use crate::rulefile::Source;
    use crate::Session;

    const PO: &str = r#"
id = "po"
name = "PO"
family = "product"
summary = "s"
names = ["product owner"]
[[areas]]
id = "backlog"
name = "Backlog"
weight = 1.0
phrases = ["prioritise~ features", "risk~"]
near = ["own~|order~ .. backlog", "roadmap ..2 define~"]
[background]
weight = 1.0
phrases = ["software developer"]
"#;
    const DEV: &str = r#"
id = "dev"
name = "Developer"
family = "ic"
summary = "s"
names = ["software developer"]
[[areas]]
id = "code"
name = "Code"
weight = 1.0
phrases = ["write code"]
"#;
    const LANG: &str = r#"
[language]
id = "en"
background_before = ["years as a", "experience as a"]
background_after = ["before moving into"]
[language.inflection]
endings = ["s", "es", "ed", "ing", "ation"]
spellings = [["ise", "ize"]]
"#;

    fn rules() -> RuleSet {
        let src = |n: &str, t: &str| Source { name: n.into(), text: t.into() };
        compile(&[src("po.toml", PO), src("dev.toml", DEV), src("en.toml", LANG)]).unwrap().rules
    }

    /// (matched text, signal kind, background) of every hit.
    fn hits(rs: &RuleSet, text: &str) -> Vec<(String, &'static str, bool)> {
        let mut sc = Session::new(rs);
        sc.scan(text)
            .iter()
            .map(|h| {
                let what = match (h.signal, h.kind) {
                    (Signal::Near { .. }, _) => "near",
                    (_, HitKind::Name { .. }) => "name",
                    _ => "phrase",
                };
                (text[h.start..h.end].to_string(), what, h.background)
            })
            .collect()
    }

    #[test]
    fn inflected_forms_match_and_count_as_one_phrase() {
        let rs = rules();
        let text = "Prioritising features; prioritization of features? no: prioritizes features. Risks and risk.";
        let got: Vec<String> = hits(&rs, text).into_iter().map(|h| h.0).collect();
        assert_eq!(got, ["Prioritising features", "prioritizes features", "Risks", "risk"]);
        let c = Session::new(&rs).classify(Posting::new(text));
        assert_eq!(c.evidence.iter().filter(|e| e.counted).count(), 2, "two written phrases, each counted once");
        assert_eq!(c.ranking[0].areas[0].phrases, 2);
    }

    #[test]
    fn the_rarer_side_of_a_proximity_rule_triggers_it() {
        let rs = rules();
        // "own~|order~" are short words; "backlog" is longer: the body scan looks for the backlog. "roadmap ..2
        // define~": the one word against the inflected verb's shortest form.
        let sides: Vec<u8> = rs.near_rules.iter().map(|r| r.trigger).collect();
        assert_eq!(sides, [1, 0]);
        // A language's common words turn the choice: a side made of them confirms.
        let lang = LANG.replace("id = \"en\"", "id = \"en\"\ncommon_words = [\"backlog\"]");
        let src = |n: &str, t: &str| Source { name: n.into(), text: t.into() };
        let rs = compile(&[src("po.toml", PO), src("en.toml", &lang)]).unwrap().rules;
        assert_eq!(rs.near_rules[0].trigger, 0, "backlog is common now");
        // Either way the rule finds the same pairs, in either order and at the window's edge.
        for text in ["Own the backlog.", "The backlog is yours to order.", "Order one two three four five backlog."] {
            assert_eq!(hits(&rs, text).len(), 1, "{text}");
            assert_eq!(hits(&rules(), text), hits(&rs, text), "{text}");
        }
        let six = "Order one two three four five six backlog.";
        assert!(hits(&rs, six).is_empty() && hits(&rules(), six).is_empty());
    }

    #[test]
    fn a_confirming_side_is_kept_only_for_the_rules_triggered_in_the_posting() {
        let rs = rules();
        let mut sc = crate::scan::Scanner::new(&rs);
        // "define" stands in the backlog's stretch, but no roadmap triggered the rule it confirms.
        sc.scan("Own the backlog, define the scope.");
        let seen: Vec<u32> = sc.cues.anchors.iter().map(|a| a.0).collect();
        assert!(!seen.is_empty() && seen.iter().all(|&r| r == 0), "{seen:?}");
        // With a roadmap in the posting, the same word is its partner.
        let text = "Own the backlog, define the roadmap.";
        let near: Vec<String> = hits(&rs, text).into_iter().filter(|h| h.1 == "near").map(|h| h.0).collect();
        assert_eq!(near, ["Own the backlog", "define the roadmap"]);
    }

    #[test]
    fn a_confirming_side_counts_only_in_a_stretch_around_a_trigger() {
        let rs = rules();
        let mut sc = crate::scan::Scanner::new(&rs);
        // The body walk finds every "own"; only the one near the backlog is read as the rule's side.
        let filler = "Nothing here pairs with anything at all, it only fills the space between. ".repeat(2);
        let text = format!("We own the office plants. {filler}You order and own the backlog. {filler}We own a boat.");
        sc.scan(&text);
        let anchors: Vec<&str> = sc.cues.anchors.iter().map(|a| &text[a.2..a.3]).collect();
        assert_eq!(anchors, ["order", "own", "backlog"]);
        assert_eq!(sc.cues.confirms.len(), 4, "each own and the order, kept aside by the walk");
    }

    /// The confirming anchors a scan keeps, in the old way: a walk of the confirming literals alone over each
    /// merged stretch around the trigger anchors (each stretch read as if it started a word), read as `confirm_near`
    /// reads matches. (rule, side, start, end), sorted.
    fn anchors_by_stretch_walks(
        rs: &RuleSet,
        sc: &Scanner,
        lits: &WordLiterals,
        text: &str,
    ) -> Vec<(u32, u8, usize, usize)> {
        let mut windows = sc.cues.windows.clone();
        windows.sort_unstable();
        let rule_words = rs.near_rules.len().div_ceil(64);
        let buf = sc.norm.text.as_bytes();
        let mut out = Vec::new();
        for (ws, we) in merged_stretches(&windows) {
            for (p, ms, me) in lits.overlapping(&buf[ws..we], sc.norm.hidden_starts(), ws) {
                let rules_of = &rs.confirm_rules[p as usize * rule_words..][..rule_words];
                if !rules_of.iter().zip(&sc.cues.triggered).any(|(r, t)| r & t != 0) {
                    continue;
                }
                let act = rs.body_actions[p as usize];
                let (os, oe) = sc.norm.original_span(ws + ms, ws + me);
                let (left, right) = (posting::left_boundary(text, os), posting::right_boundary(text, oe));
                for u in &rs.meanings[act.first_use as usize..(act.first_use + act.uses) as usize] {
                    let UseKind::NearAnchor { rule, side, confirm: true } = u.kind else { continue };
                    if let Some((s, e)) = u.span_in(text, os, oe, left, right).filter(|_| sc.cues.triggered(rule)) {
                        out.push((rule, side, s, e));
                    }
                }
            }
        }
        out.sort_unstable();
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]

        /// The default pack's proximity rules over texts made of their own sides, filler, punctuation and the
        /// places where normalisation moves offsets or hides word starts: the confirming anchors read from the body
        /// walk's matches are those a walk of each stretch alone finds.
        #[test]
        fn the_kept_confirming_sides_are_those_a_walk_of_each_stretch_finds(
            pieces in proptest::collection::vec((0usize..1000, 0usize..16), 1..60),
        ) {
            static RULES: std::sync::OnceLock<RuleSet> = std::sync::OnceLock::new();
            let rs = RULES.get_or_init(|| crate::default_rules().expect("the default pack compiles"));
            let side = |p: usize| rs.patterns[rs.body_actions[p].literal as usize].text.as_str();
            let triggers: Vec<&str> = (0..rs.body_actions.len())
                .filter(|&p| {
                    let a = rs.body_actions[p];
                    rs.meanings[a.first_use as usize..(a.first_use + a.uses) as usize]
                        .iter()
                        .any(|u| matches!(u.kind, UseKind::NearAnchor { confirm: false, .. }))
                })
                .map(side)
                .collect();
            let confirms: Vec<&str> = (0..rs.confirm_count).map(side).collect();
            let lits = WordLiterals::new(
                confirms.iter(),
                |p| rs.body_actions[p].closed_left,
                |p| rs.body_actions[p].closed_right,
            )
            .expect("builds");
            const FILLER: [&str; 12] =
                [" ", " ", ". ", ", ", "\n", "-", "the team ", "Lead", "\u{e9}", "\u{130}", "&amp;", "\u{200B}"];
            let mut text = String::new();
            for (i, kind) in pieces {
                match kind {
                    0..=4 => text.push_str(triggers[i % triggers.len()]),
                    5..=9 => text.push_str(confirms[i % confirms.len()]),
                    _ => text.push_str(FILLER[i % FILLER.len()]),
                }
                if kind % 2 == 0 {
                    text.push(' ');
                }
            }
            let mut sc = Scanner::new(rs);
            sc.scan(&text);
            let mut kept: Vec<(u32, u8, usize, usize)> =
                sc.cues.anchors.iter().copied().filter(|a| a.1 != rs.near_rules[a.0 as usize].trigger).collect();
            kept.sort_unstable();
            proptest::prop_assert_eq!(kept, anchors_by_stretch_walks(rs, &sc, &lits, &text));
        }
    }

    #[test]
    fn stretches_that_overlap_or_touch_are_read_as_one() {
        let got: Vec<_> = merged_stretches(&[(0, 5), (3, 4), (5, 9), (12, 15), (13, 20)]).collect();
        assert_eq!(got, [(0, 9), (12, 20)]);
        assert_eq!(merged_stretches(&[]).count(), 0);
    }

    #[test]
    fn a_giant_posting_keeps_a_bounded_number_of_confirming_sides() {
        let rs = rules();
        let mut sc = crate::scan::Scanner::new(&rs);
        // No hit at all, and every word a confirming side: the kept matches stop at the bound; a trigger near the
        // start still pairs.
        let text = format!("The backlog to own. {}", "own order ".repeat(MAX_CONFIRMS / 2 + 10));
        let hits = sc.scan(&text).to_vec();
        assert_eq!(sc.cues.confirms.len(), MAX_CONFIRMS);
        assert!(hits
            .iter()
            .any(|h| matches!(h.signal, Signal::Near { .. }) && &text[h.start..h.end] == "backlog to own"));
    }

    #[test]
    fn a_giant_posting_cut_at_the_hit_limit_still_reads_its_last_stretch() {
        let rs = rules();
        let mut sc = crate::scan::Scanner::new(&rs);
        // The limit is reached at the last "prioritising features", the next phrase ("risks") ends the scan, and
        // the "own" after it still stands in the backlog's stretch.
        let mut text = "Prioritising features. ".repeat(MAX_HITS - 1);
        text.push_str("The backlog, prioritising features, risks to own. ");
        // The walk stops reading at the stretch's end: this "own" is not kept.
        text.push_str(&"Nothing here pairs with anything at all, it only fills the space between. ".repeat(2));
        text.push_str("We own a boat.");
        assert_eq!(sc.scan(&text).len(), MAX_HITS);
        let anchors: Vec<&str> = sc.cues.anchors.iter().map(|a| &text[a.2..a.3]).collect();
        assert_eq!(anchors, ["backlog", "own"]);
        assert_eq!(sc.cues.confirms.len(), 1);
    }

    #[test]
    fn proximity_in_either_order_within_the_window() {
        let rs = rules();
        assert_eq!(
            hits(&rs, "You own and order the team backlog."),
            [("own and order the team backlog".into(), "near", false)]
        );
        assert_eq!(hits(&rs, "The backlog is yours to order."), [("backlog is yours to order".into(), "near", false)]);
        assert_eq!(hits(&rs, "Define the roadmap"), [("Define the roadmap".into(), "near", false)]);
        assert!(hits(&rs, "roadmap as we together define").is_empty(), "three words between; the window is two");
        assert!(
            hits(&rs, "own one two three four five six backlog").is_empty(),
            "six words between; the default is five"
        );
        assert!(hits(&rs, "ownership of the backlog").is_empty(), "anchors keep word boundaries");
    }

    #[test]
    fn a_side_repeated_later_does_not_hide_its_partner() {
        let rs = rules();
        // Anchors are walked in text order: a second "own" far after the pair must not stop the search.
        let filler = "Nothing here pairs with anything at all, it only fills the space between. ".repeat(3);
        let text = format!("You own the team backlog. {filler}We own nothing of the sort here.");
        assert_eq!(hits(&rs, &text), [("own the team backlog".into(), "near", false)]);
        let text = "The backlog is yours to own. We own lots; own, own, own.";
        assert_eq!(hits(&rs, text)[0], ("backlog is yours to own".into(), "near", false));
    }

    #[test]
    fn proximity_does_not_reach_across_a_sentence_or_bullet() {
        let rs = rules();
        assert!(hits(&rs, "We own it. Backlog tooling is shared.").is_empty());
        assert!(hits(&rs, "- Own the release\n- Backlog tooling").is_empty());
        assert!(hits(&rs, "Own the release - backlog tooling").is_empty(), "an inline bullet");
        assert_eq!(hits(&rs, "own, e.g. the backlog").len(), 1, "an abbreviation is not a sentence end");
    }

    #[test]
    fn a_past_job_does_not_name_the_job_and_counts_only_as_a_background() {
        let rs = rules();
        let text = "You have 4+ years as a software developer before moving into product.";
        let got = hits(&rs, text);
        assert_eq!(
            got,
            [("software developer".into(), "phrase", true), ("software developer".into(), "name", true)],
            "the PO's background profile and the developer's name, both in the background clause"
        );
        let c = Session::new(&rs).classify(Posting::new(text));
        let dev = c.ranking.iter().find(|r| rs.roles[r.role as usize].id == "dev");
        assert!(dev.is_none(), "a past job names nothing: {:?}", c.ranking);
        let po = c.ranking.iter().find(|r| rs.roles[r.role as usize].id == "po").expect("the PO scores");
        assert!(po.areas[1].phrases == 1 && rs.roles[0].areas[1].background);
        // The same words outside a background clause name the developer job, and the PO's background is silent.
        let c = Session::new(&rs).classify(Posting::new("We hire a software developer to write code."));
        assert_eq!(c.role_id(), "dev");
        assert!(c.ranking.iter().all(|r| rs.roles[r.role as usize].id != "po"));
        // A cue after the phrase, in the same clause, makes it background too.
        let after = hits(&rs, "Software developer before moving into product.");
        assert!(after.iter().all(|h| h.2), "{after:?}");
        // A clause break ends the background clause.
        let broken = hits(&rs, "Ten years as a founder. Software developer wanted.");
        assert!(broken.iter().all(|h| !h.2), "{broken:?}");
    }

    #[test]
    fn what_stands_between_a_pair_counts_on_its_own() {
        let two = PO.replace(
            "[background]",
            "[[areas]]\nid = \"risks\"\nname = \"Risks\"\nweight = 1.0\nphrases = [\"delivery risk\"]\n[background]",
        );
        let src = |n: &str, t: &str| Source { name: n.into(), text: t.into() };
        let rs = compile(&[src("po.toml", &two), src("en.toml", LANG)]).unwrap().rules;
        let c = Session::new(&rs).classify(Posting::new("Own the delivery risk backlog."));
        let counted: Vec<&str> = c.evidence.iter().filter(|e| e.counted).map(|e| e.phrase).collect();
        assert!(counted.contains(&"own~|order~ .. backlog") && counted.contains(&"delivery risk"), "{counted:?}");
    }

    #[test]
    fn an_area_of_near_rules_alone_is_not_empty() {
        let only_near = PO.replace("phrases = [\"prioritise~ features\", \"risk~\"]\n", "");
        let src = |n: &str, t: &str| Source { name: n.into(), text: t.into() };
        let rs = compile(&[src("po.toml", &only_near), src("en.toml", LANG)]).unwrap().rules;
        assert_eq!(hits(&rs, "own the backlog"), [("own the backlog".into(), "near", false)]);
    }

    #[test]
    fn malformed_wording_rules_are_diagnostics() {
        let bad = PO.replace("own~|order~ .. backlog", "own~ backlog").replace("risk~", "ri~sk");
        let src = |n: &str, t: &str| Source { name: n.into(), text: t.into() };
        let diags = compile(&[src("po.toml", &bad), src("en.toml", LANG)]).unwrap_err();
        let codes: Vec<&str> = diags.iter().map(|d| d.code).collect();
        assert!(codes.contains(&crate::diag::codes::BAD_NEAR), "{codes:?}");
        assert!(codes.contains(&crate::diag::codes::BAD_PHRASE), "{codes:?}");
        for w in ["a ..13 b", "a .. b .. c", "a| .. b", "a .. a|b", " .. b"] {
            let diags = compile(&[src("po.toml", &PO.replace("roadmap ..2 define~", w)), src("en.toml", LANG)]);
            assert!(diags.is_err(), "`{w}` must not compile");
        }
        // `~` with no language inflections: a warning, and the word as written still matches.
        let c = compile(&[src("po.toml", PO), src("dev.toml", DEV)]).unwrap();
        assert!(c.warnings.iter().any(|d| d.code == crate::diag::codes::NO_INFLECTION));
        let mut sc = Session::new(&c.rules);
        assert_eq!(sc.scan("risk and risks").len(), 1);
    }
}
