//! The literal automata that a scan walks over a whole posting: a contiguous Aho-Corasick NFA, and the overlapping
//! walk over it.
//!
//! The walk finds what `AhoCorasick::find_overlapping_iter` finds, in the same order (by end, then the longer
//! first). It is written here because the body scan meets a match every 22 bytes of text on the bench corpus, and
//! the crate's search leaves its loop at every match and reaches the automaton through a trait object. Stepping the
//! concrete NFA in one loop reads the text about 10 % faster. The crate has the transitions and their layout; only
//! the loop is ours.

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::nfa::contiguous::NFA;
use aho_corasick::{Anchored, BuildError, MatchKind};

/// An automaton over a literal list, for overlapping search. Its pattern `i` is the list's item `i`.
#[derive(Clone, Debug)]
pub(crate) struct Literals {
    nfa: NFA,
    start: StateID,
}

impl Literals {
    /// Builds the automaton over `patterns` (standard match semantics, no prefilter: no byte is rare enough in a
    /// pack of thousands of phrases for one to skip text).
    pub(crate) fn new<I, P>(patterns: I) -> Result<Literals, BuildError>
    where
        I: IntoIterator<Item = P>,
        P: AsRef<[u8]>,
    {
        Literals::build(patterns, false)
    }

    /// [`Literals::new`], with ASCII letters matching either case (for cue lists read in the original text).
    pub(crate) fn ascii_case_insensitive<I, P>(patterns: I) -> Result<Literals, BuildError>
    where
        I: IntoIterator<Item = P>,
        P: AsRef<[u8]>,
    {
        Literals::build(patterns, true)
    }

    fn build<I, P>(patterns: I, ascii_case_insensitive: bool) -> Result<Literals, BuildError>
    where
        I: IntoIterator<Item = P>,
        P: AsRef<[u8]>,
    {
        let nfa = NFA::builder()
            .match_kind(MatchKind::Standard)
            .prefilter(false)
            .ascii_case_insensitive(ascii_case_insensitive)
            .build(patterns)?;
        let start = nfa.start_state(Anchored::No).expect("an NFA always has an unanchored start state");
        Ok(Literals { nfa, start })
    }

    /// Every occurrence of every pattern in `haystack`, overlapping ones too, as `(pattern, start, end)`: ordered by
    /// end, and at one end the longer first.
    pub(crate) fn overlapping<'a>(&'a self, haystack: &'a [u8]) -> Overlapping<'a> {
        Overlapping { nfa: &self.nfa, haystack, at: 0, state: self.start, next: 0, len: 0 }
    }

    /// Number of patterns.
    #[cfg(test)]
    pub(crate) fn patterns_len(&self) -> usize {
        self.nfa.patterns_len()
    }
}

/// The iterator of [`Literals::overlapping`].
pub(crate) struct Overlapping<'a> {
    nfa: &'a NFA,
    haystack: &'a [u8],
    /// Bytes read so far: the end of the matches of `state`.
    at: usize,
    state: StateID,
    /// The next of the `len` matches of `state` to report.
    next: usize,
    len: usize,
}

impl Iterator for Overlapping<'_> {
    type Item = (u32, usize, usize);

    #[inline]
    fn next(&mut self) -> Option<(u32, usize, usize)> {
        if self.next == self.len {
            let nfa = self.nfa;
            loop {
                let &byte = self.haystack.get(self.at)?;
                self.state = nfa.next_state(Anchored::No, self.state, byte);
                self.at += 1;
                // Without a prefilter only match states are special in an unanchored walk (the dead state is never
                // reached: standard semantics go on after a match).
                if nfa.is_special(self.state) && nfa.is_match(self.state) {
                    self.next = 0;
                    self.len = nfa.match_len(self.state);
                    break;
                }
            }
        }
        let pattern = self.nfa.match_pattern(self.state, self.next);
        self.next += 1;
        Some((pattern.as_u32(), self.at - self.nfa.pattern_len(pattern), self.at))
    }
}

#[cfg(test)]
mod tests {
    use super::Literals;
    use aho_corasick::AhoCorasick;

    /// The crate's own overlapping search, as `(pattern, start, end)`.
    fn reference(patterns: &[&str], haystack: &str) -> Vec<(u32, usize, usize)> {
        let ac = AhoCorasick::new(patterns).expect("builds");
        ac.find_overlapping_iter(haystack).map(|m| (m.pattern().as_u32(), m.start(), m.end())).collect()
    }

    #[test]
    fn the_walk_finds_what_the_crate_finds_in_the_same_order() {
        let patterns =
            ["own", "owner", "product owner", "product", "duct", "the backlog", "back", "log", "a", "é", "ownership"];
        let texts = [
            "",
            "a",
            "the product owner owns the backlog and its ownership",
            "productowner backlogs; owner-ship, ownerownership",
            "aaa product ownerowner é é back",
            "no match here: xyz",
        ];
        let lits = Literals::new(patterns).expect("builds");
        assert_eq!(lits.patterns_len(), patterns.len());
        for text in texts {
            let ours: Vec<_> = lits.overlapping(text.as_bytes()).collect();
            assert_eq!(ours, reference(&patterns, text), "{text:?}");
        }
        // Matches at one end come longer first, and every pattern that ends there is reported.
        let at_end: Vec<_> = lits.overlapping(b"product owner").filter(|m| m.2 == 13).collect();
        assert_eq!(at_end, [(2, 0, 13), (1, 8, 13)]);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

        /// Any list over a small alphabet (so that patterns share prefixes, suffixes and one another's middles) and
        /// any text over it, with a multi-byte letter among them: the walk finds the crate's matches, in its order.
        #[test]
        fn the_walk_matches_the_crate_on_any_list_and_text(
            patterns in proptest::collection::btree_set("[ab é]{1,6}", 1..24),
            text in "[ab éc]{0,80}",
            case_insensitive: bool,
        ) {
            let patterns: Vec<String> = patterns.into_iter().collect();
            let text = if case_insensitive { text.replace('a', "A") } else { text };
            let (lits, ac) = if case_insensitive {
                let ac = AhoCorasick::builder().ascii_case_insensitive(true).build(&patterns).expect("builds");
                (Literals::ascii_case_insensitive(&patterns).expect("builds"), ac)
            } else {
                (Literals::new(&patterns).expect("builds"), AhoCorasick::new(&patterns).expect("builds"))
            };
            let ours: Vec<_> = lits.overlapping(text.as_bytes()).collect();
            let theirs: Vec<_> =
                ac.find_overlapping_iter(&text).map(|m| (m.pattern().as_u32(), m.start(), m.end())).collect();
            proptest::prop_assert_eq!(ours, theirs);
        }
    }

    #[test]
    fn a_case_insensitive_list_matches_either_case_of_ascii_letters_only() {
        let lits = Literals::ascii_case_insensitive(["reports to", "café"]).expect("builds");
        let found: Vec<_> = lits.overlapping("REPORTS TO the Café, CAFÉ".as_bytes()).collect();
        assert_eq!(found, [(0, 0, 10), (1, 15, 20)]);
    }

    #[test]
    fn the_walk_agrees_with_the_crate_on_the_default_pack() {
        let rules = crate::default_rules().expect("the default pack compiles");
        let text = "As our Technical Product Owner you own and prioritise the product backlog, write user stories \
                    with acceptance criteria, work closely with engineering on architecture decisions and report to \
                    the CTO. 5+ years as a software developer; our benefits include a referral programme.";
        let norm = crate::posting::Normalized::new(text);
        let body: Vec<&str> =
            rules.body_actions.iter().map(|a| rules.patterns[a.literal as usize].text.as_str()).collect();
        let theirs = reference(&body, &norm.text);
        let ours: Vec<_> = rules.automaton.overlapping(norm.text.as_bytes()).collect();
        assert!(ours.len() > 20, "{}", ours.len());
        assert_eq!(ours, theirs);
    }
}
