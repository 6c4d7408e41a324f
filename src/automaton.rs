//! The literal automata that a scan walks over a whole posting, and their overlapping walk: a double-array
//! Aho-Corasick automaton for the lists matched byte for byte (the body's phrases, the proximity rules' confirming
//! sides) and for the cue lists matched in either case of ASCII letters (built lower-cased, walked lower-casing).
//!
//! The walk finds what `AhoCorasick::find_overlapping_iter` finds (built `ascii_case_insensitive` for the cue
//! lists), in the same order (by end, then the longer first); the tests hold it to that. The body scan meets a
//! match every 22 bytes of text on the bench corpus, so the walk is the scan's largest single cost. A double array
//! steps in one probe where the crate's contiguous NFA, used here before, searched a state's sparse transitions,
//! and it is built straight from the sorted list, without the crate's intermediate NFA. On the default pack's
//! 9,362 body phrases it reads lower-cased postings about a quarter faster (120 against 95 MB/s), takes 0.97 MB
//! instead of 1.05 MB, and builds in 14 ms instead of 24 ms with under 2 MB of transient memory instead of 4.8 MB.
//!
//! The body and confirming lists are [`WordLiterals`]: the double array reads a word's first byte as a symbol of
//! its own, so a phrase that only counts at a word start ("age", "lead") is not found inside "management" or
//! "teamlead" at all, instead of being found there and dropped by the scan. That is an eighth of the plain walk's
//! matches on the bench corpus; `batch -j 1` takes about 4 % less time with it, byte for byte the same output.

use std::collections::VecDeque;

/// An automaton over a literal list, for overlapping search. Its pattern `i` is the list's item `i`.
#[derive(Clone, Debug)]
pub(crate) struct Literals {
    da: DoubleArray,
    /// ASCII letters match either case: the patterns were lower-cased, and so is each byte the walk reads.
    fold: bool,
    /// The longest pattern's length in bytes.
    longest: usize,
}

impl Literals {
    /// Builds the automaton over `patterns`, matched byte for byte. An empty pattern is an error. (The scan's lists
    /// are [`WordLiterals`]; this plain walk is what the tests hold that one to.)
    #[cfg(test)]
    pub(crate) fn new<I, P>(patterns: I) -> Result<Literals, String>
    where
        I: IntoIterator<Item = P>,
        P: AsRef<[u8]>,
    {
        let patterns: Vec<P> = patterns.into_iter().collect();
        let bytes: Vec<&[u8]> = patterns.iter().map(AsRef::as_ref).collect();
        let longest = bytes.iter().map(|p| p.len()).max().unwrap_or(0);
        Ok(Literals { da: DoubleArray::new(&bytes)?, fold: false, longest })
    }

    /// [`Literals::new`], with ASCII letters matching either case (for cue lists read in the original text).
    pub(crate) fn ascii_case_insensitive<I, P>(patterns: I) -> Result<Literals, String>
    where
        I: IntoIterator<Item = P>,
        P: AsRef<[u8]>,
    {
        let lowered: Vec<Vec<u8>> = patterns.into_iter().map(|p| p.as_ref().to_ascii_lowercase()).collect();
        let bytes: Vec<&[u8]> = lowered.iter().map(Vec::as_slice).collect();
        let longest = bytes.iter().map(|p| p.len()).max().unwrap_or(0);
        Ok(Literals { da: DoubleArray::new(&bytes)?, fold: true, longest })
    }

    /// The longest pattern's length in bytes (0 for an empty list).
    pub(crate) fn longest(&self) -> usize {
        self.longest
    }

    /// Every occurrence of every pattern in `haystack`, overlapping ones too, as `(pattern, start, end)`: ordered by
    /// end, and at one end the longer first.
    pub(crate) fn overlapping<'a>(&'a self, haystack: &'a [u8]) -> Overlapping<'a> {
        let da = &self.da;
        match self.fold {
            false => Overlapping::Exact(Walk { da, haystack, at: 0, state: ROOT, out: NO_OUT }),
            true => Overlapping::Folded(Walk { da, haystack, at: 0, state: ROOT, out: NO_OUT }),
        }
    }
}

/// The iterator of [`Literals::overlapping`].
pub(crate) enum Overlapping<'a> {
    Exact(Walk<'a, false>),
    Folded(Walk<'a, true>),
}

impl Iterator for Overlapping<'_> {
    type Item = (u32, usize, usize);

    #[inline]
    fn next(&mut self) -> Option<(u32, usize, usize)> {
        match self {
            Overlapping::Exact(w) => w.next(),
            Overlapping::Folded(w) => w.next(),
        }
    }
}

/// An automaton over phrases whose matches only count where a word may start, unless the phrase is marked open
/// (the body's phrases, the proximity rules' confirming sides), walked over a normalised text: it reports every
/// match [`Literals::overlapping`] would, in the same order, except those of a closed phrase that starts inside a
/// word of the normalised text, which the scan would drop (`left_boundary` fails there) but which make an eighth of
/// the plain walk's matches on the bench corpus; and, likewise, those of a phrase marked as needing a word end
/// that end inside a word ("lan" in "language", "engineer" in "engineering": the scan would find no right
/// boundary, and such a phrase then does nothing), another seventh of the matches.
///
/// The double array reads *symbols*, not bytes: a word byte ([`is_word`]) that starts a word has a symbol of its
/// own, so a closed phrase (whose first symbol is a start symbol) cannot begin inside a word, and the walk, back at
/// the root inside a word, stays there without a failure chain. A phrase's inner word starts are spelt alike in the
/// phrase and in the text. Where the original text has a word start that the normalised bytes hide (`teamLead`, a
/// dropped invisible character, an entity), the caller passes the place ([`crate::posting::Normalized::hidden_starts`])
/// and the walk looks up the closed phrases that start there on their own.
#[derive(Clone, Debug)]
pub(crate) struct WordLiterals {
    da: DoubleArray,
    /// Bit `i`: phrase `i` is closed (counts only at a word start).
    closed: Vec<u64>,
    /// Bit `i`: phrase `i` does nothing where no word may end after it.
    ends: Vec<u64>,
    /// Whether the double array reads symbols; `false` (a phrase holds a byte the symbols use) falls back to bytes,
    /// and every match is reported.
    symbols: bool,
}

/// A normalised text's word bytes, for the start symbols: ASCII lower-case letters, digits and `_` (its letters are
/// lower-cased; an upper-case byte or any non-ASCII byte counts as a non-word byte, so a word start next to one is
/// always visible).
#[inline]
pub(crate) const fn is_word(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'
}

/// Whether two word bytes meet at `i` of a normalised text (bytes `i - 1` and `i`): no word starts or ends there
/// that the normalised bytes show. Where the original may still start (or end) one, the place is a hidden word
/// start ([`crate::posting::Normalized::hidden_starts`]).
#[inline]
pub(crate) fn words_meet(text: &[u8], i: usize) -> bool {
    i > 0 && i < text.len() && is_word(text[i - 1]) && is_word(text[i])
}

/// The symbols of the 37 word bytes where they start a word: control bytes a normalised text never holds as such
/// (its whitespace is spaces) and bytes no UTF-8 text holds.
const START_SYMBOLS: [u8; 37] = [
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
    0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x7f, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd,
];
/// The symbol of a text byte that is a start symbol itself (or 0xfe, 0xff): no phrase holds one.
const NO_PHRASE: u8 = 0xfe;

/// Whether `b` is a byte the symbols take over (a phrase with one is read byte for byte).
pub(crate) const fn is_reserved(b: u8) -> bool {
    let mut k = 0;
    while k < START_SYMBOLS.len() {
        if START_SYMBOLS[k] == b {
            return true;
        }
        k += 1;
    }
    b >= NO_PHRASE
}

/// The symbol of byte `b` (index `b`, after a non-word byte; index `256 + b`, after a word byte).
static SYMBOLS: [u8; 512] = {
    let mut t = [0u8; 512];
    let mut b = 0;
    let mut word = 0;
    while b < 256 {
        let byte = b as u8;
        let plain = if is_reserved(byte) { NO_PHRASE } else { byte };
        t[256 + b] = plain;
        t[b] = if is_word(byte) {
            word += 1;
            START_SYMBOLS[word - 1]
        } else {
            plain
        };
        b += 1;
    }
    t
};

/// [`SYMBOLS`] with each byte's [`is_word`] in bit 8, for the walk's loop: entry `b | w << 8` is the symbol of
/// `b` after a byte whose word flag is `w`, and that entry's bit 8 is the flag for the byte after `b`.
static STEP_SYMBOLS: [u16; 512] = {
    let mut t = [0u16; 512];
    let mut i = 0;
    while i < 512 {
        t[i] = SYMBOLS[i] as u16 | if is_word(i as u8) { 0x100 } else { 0 };
        i += 1;
    }
    t
};

/// The symbol of `b` after a byte for which [`is_word`] was `after_word`.
#[inline]
fn symbol(b: u8, after_word: bool) -> u8 {
    SYMBOLS[usize::from(b) | usize::from(after_word) << 8]
}

impl WordLiterals {
    /// Builds the automaton over `patterns`; `closed(i)` says whether pattern `i` counts only at a word start, and
    /// `ends(i)` whether it does nothing unless a word may end after it. An empty pattern is an error. The patterns
    /// are distinct (the compiler's literals are): of two equal ones, one open and one closed, the walk may report
    /// the two in either order.
    pub(crate) fn new<I, P>(
        patterns: I,
        closed: impl Fn(usize) -> bool,
        ends: impl Fn(usize) -> bool,
    ) -> Result<WordLiterals, String>
    where
        I: IntoIterator<Item = P>,
        P: AsRef<[u8]>,
    {
        let patterns: Vec<P> = patterns.into_iter().collect();
        let bits_of = |f: &dyn Fn(usize) -> bool| {
            let mut bits = vec![0u64; patterns.len().div_ceil(64)];
            for i in (0..patterns.len()).filter(|&i| f(i)) {
                bits[i / 64] |= 1 << (i % 64);
            }
            bits
        };
        let (bits, ends) = (bits_of(&closed), bits_of(&ends));
        let bytes: Vec<&[u8]> = patterns.iter().map(AsRef::as_ref).collect();
        if bytes.iter().any(|p| p.iter().copied().any(is_reserved)) {
            return Ok(WordLiterals { da: DoubleArray::new(&bytes)?, closed: bits, ends, symbols: false });
        }
        if let Some(i) = bytes.iter().position(|p| p.is_empty()) {
            return Err(format!("phrase {i} is empty"));
        }
        // Each phrase in symbols, as it reads at a word start; an open one that starts with a word byte also as it
        // reads inside a word (a second entry, reported as the same phrase).
        let spell = |p: &[u8], inside: bool| -> Vec<u8> {
            p.iter().enumerate().map(|(j, &b)| symbol(b, if j == 0 { inside } else { is_word(p[j - 1]) })).collect()
        };
        let mut spelt: Vec<Vec<u8>> = Vec::with_capacity(patterns.len() + patterns.len() / 8);
        let mut ids: Vec<u32> = Vec::with_capacity(spelt.capacity());
        for (i, p) in bytes.iter().enumerate() {
            spelt.push(spell(p, false));
            ids.push(i as u32);
        }
        for (i, p) in bytes.iter().enumerate() {
            if !closed(i) && is_word(p[0]) {
                spelt.push(spell(p, true));
                ids.push(i as u32);
            }
        }
        let refs: Vec<&[u8]> = spelt.iter().map(Vec::as_slice).collect();
        let mut da = DoubleArray::new(&refs)?;
        drop(refs);
        drop(spelt);
        for o in &mut da.outs {
            o.pattern = ids[o.pattern as usize];
        }
        Ok(WordLiterals { da, closed: bits, ends, symbols: true })
    }

    /// Every match in `haystack` (bytes `origin..` of a normalised text) that the plain walk finds, less those of a
    /// closed phrase starting inside a word, as `(pattern, start, end)` in the plain walk's order. `hidden` holds
    /// the normalised text's hidden word starts (ascending, offsets into the whole text). `haystack` starts a word.
    pub(crate) fn overlapping<'a>(&'a self, haystack: &'a [u8], hidden: &'a [u32], origin: usize) -> WordWalk<'a> {
        let lo = hidden.partition_point(|&h| (h as usize) <= origin);
        // (An empty haystack at a hidden start has none.)
        let hi = hidden.partition_point(|&h| (h as usize) < origin + haystack.len()).max(lo);
        let mut walk = WordWalk {
            lits: self,
            haystack,
            at: 0,
            state: ROOT,
            out: NO_OUT,
            after_word: false,
            hidden: if self.symbols { &hidden[lo..hi] } else { &[] },
            origin,
            next_hidden: usize::MAX,
            pending: Vec::new(),
            pending_end: usize::MAX,
        };
        walk.next_hidden = walk.hidden.first().map_or(usize::MAX, |&h| h as usize - origin);
        walk
    }

    fn is_closed(&self, pattern: u32) -> bool {
        self.closed[pattern as usize / 64] & 1 << (pattern % 64) != 0
    }

    fn needs_end(&self, pattern: u32) -> bool {
        self.ends[pattern as usize / 64] & 1 << (pattern % 64) != 0
    }
}

/// The iterator of [`WordLiterals::overlapping`].
pub(crate) struct WordWalk<'a> {
    lits: &'a WordLiterals,
    haystack: &'a [u8],
    /// Bytes read so far: the end of the outputs of `state`.
    at: usize,
    state: u32,
    /// The next output of `state` to report (1-based), or [`NO_OUT`].
    out: u32,
    /// Whether the last byte read is a word byte.
    after_word: bool,
    /// The hidden word starts not yet reached, and the first of them (relative to the haystack).
    hidden: &'a [u32],
    origin: usize,
    next_hidden: usize,
    /// Matches of closed phrases at hidden word starts, by end then start (the longer first), not yet reported; and
    /// the first one's end.
    pending: Vec<(u32, usize, usize)>,
    pending_end: usize,
}

impl WordWalk<'_> {
    /// Looks up the closed phrases that start at hidden word start `i` (inside a word of the normalised text).
    fn look_up_at(&mut self, i: usize) {
        let (da, text) = (&self.lits.da, self.haystack);
        if !self.lits.symbols || !words_meet(text, i) {
            return; // the walk sees this start, or no closed phrase of word bytes starts here
        }
        let mut state = da.root[usize::from(symbol(text[i], false))];
        let mut j = i;
        while state != ROOT {
            // The state's own phrases head its output chain, longest first.
            let mut o = da.out(state);
            while o != NO_OUT {
                let out = da.outs[o as usize - 1];
                if out.len as usize != j + 1 - i {
                    break;
                }
                if self.lits.is_closed(out.pattern) {
                    let k = self.pending.partition_point(|&(_, s, e)| (e, s) < (j + 1, i));
                    self.pending.insert(k, (out.pattern, i, j + 1));
                }
                o = out.next;
            }
            j += 1;
            let Some(&b) = text.get(j) else { break };
            match child(&da.slots, state, symbol(b, is_word(text[j - 1]))) {
                Some(t) => state = t,
                None => break,
            }
        }
        self.pending_end = self.pending.first().map_or(usize::MAX, |p| p.2);
    }
}

impl Iterator for WordWalk<'_> {
    type Item = (u32, usize, usize);

    #[inline]
    fn next(&mut self) -> Option<(u32, usize, usize)> {
        loop {
            let m = self.next_any()?;
            // Every match is reported where the walk stands (at its end), before the walk looks up a hidden word
            // start there: a word may end at `at` unless two word bytes meet there and no hidden start does.
            if self.lits.needs_end(m.0) && self.lits.symbols && self.inside_word() {
                continue;
            }
            return Some(m);
        }
    }
}

impl WordWalk<'_> {
    /// Whether the walk stands between two word bytes of the normalised text where the original text starts no
    /// word either ([`WordLiterals::overlapping`]'s `hidden`).
    #[inline]
    fn inside_word(&self) -> bool {
        words_meet(self.haystack, self.at) && self.next_hidden != self.at
    }

    /// The next match of the walk, whether or not a word may end after it.
    #[inline]
    fn next_any(&mut self) -> Option<(u32, usize, usize)> {
        loop {
            // Reports at this end: the state's outputs and the pending matches, by start.
            if self.out != NO_OUT {
                let o = self.lits.da.outs[self.out as usize - 1];
                let start = self.at - o.len as usize;
                if self.pending_end == self.at && self.pending[0].1 < start {
                    return Some(self.pop_pending());
                }
                self.out = o.next;
                return Some((o.pattern, start, self.at));
            }
            if self.pending_end == self.at {
                return Some(self.pop_pending());
            }
            if self.at == self.next_hidden {
                self.look_up_at(self.at);
                self.hidden = &self.hidden[1..];
                self.next_hidden = self.hidden.first().map_or(usize::MAX, |&h| h as usize - self.origin);
            }
            // Steps up to the next output, pending end or hidden start.
            let da = &self.lits.da;
            let limit = self.haystack.len().min(self.next_hidden).min(self.pending_end);
            if self.at >= limit {
                if self.at >= self.haystack.len() {
                    return None;
                }
                continue;
            }
            let text = &self.haystack[..limit];
            // The table entry of the byte before (its word flag in bit 8), or that flag alone.
            let mut last = u16::from(self.after_word) << 8;
            let (at, state, found) = match self.lits.symbols {
                true => da.walk_to_output(text, self.at, self.state, &mut last, |b, last| {
                    let e = STEP_SYMBOLS[usize::from(b) | usize::from(last & 0x100)];
                    (e as u8, e)
                }),
                false => {
                    da.walk_to_output(text, self.at, self.state, &mut last, |b, _| (b, u16::from(is_word(b)) << 8))
                }
            };
            if found {
                self.out = da.firsts[state as usize];
            }
            (self.at, self.state, self.after_word) = (at, state, last & 0x100 != 0);
        }
    }
}

impl WordWalk<'_> {
    fn pop_pending(&mut self) -> (u32, usize, usize) {
        let m = self.pending.remove(0);
        self.pending_end = self.pending.first().map_or(usize::MAX, |p| p.2);
        m
    }
}

/// The root state's slot.
const ROOT: u32 = 0;
/// The label of a slot where no state's child stands (and of the root's): no byte equals it.
const NO_LABEL: u32 = 256;
/// The base of a state without children: no state's children have it (their base is never 0), so each of its probes
/// (slots 0 to 255) finds another label.
const NO_BASE: u32 = 0;
/// No output: the end of an output chain, or a state that ends no pattern.
const NO_OUT: u32 = 0;
/// Output indices are 1-based `u32`s, [`NO_OUT`] aside.
const MAX_PATTERNS: usize = u32::MAX as usize - 1;
/// A slot keeps its base in the 21 bits above its label and its two flags.
const MAX_SLOTS: usize = 1 << 21;
/// Construction looks for room in the last this many blocks of 256 slots only (the older ones are closed, their
/// few free slots left empty), which keeps its time linear in the number of states.
const OPEN_BLOCKS: usize = 16;

/// An Aho-Corasick automaton in a double array. The child of state `s` on byte `c` stands in slot `base(s) ^ c` and
/// is labelled `c` there; no two states share a base, so the label proves the parent, and a step is one probe
/// (plus one per failure link the text takes). The root's steps are a table of their own.
///
/// A walk is a chain of dependent loads, one slot per byte, so what counts is how much of the array the cache
/// holds: a slot is the 4 bytes a step reads (base, label, whether the state has outputs), and the failure links and
/// first outputs stand apart, read only where a child is missing (one byte in seven of a posting) or a phrase ends.
/// The default pack's body automaton is 71 K slots: at 4 bytes, 280 KB, which a core's L2 cache holds (at 8 bytes
/// it did not).
#[derive(Clone)]
struct DoubleArray {
    slots: Vec<Slot>,
    /// Each state's first output (1-based, [`NO_OUT`] for none), apart from its slot: read where its bit says so.
    firsts: Vec<u32>,
    /// Each state's failure state, apart from its slot: a step reads it only when the child is missing.
    fails: Vec<u32>,
    root: Box<[u32; 256]>,
    /// Output chains: a state's own pattern(s), then, linked by 1-based index, those of its failure state.
    outs: Vec<Out>,
}

impl std::fmt::Debug for DoubleArray {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DoubleArray").field("slots", &self.slots.len()).field("patterns", &self.outs.len()).finish()
    }
}

/// A state's slot: its label (the low 9 bits), whether it has outputs (bit 9), whether its failure state is the
/// root (bit 10) and its children's base (the 21 bits above; [`NO_BASE`] for none).
#[derive(Clone, Copy)]
struct Slot(u32);

impl Slot {
    const EMPTY: Slot = Slot(NO_LABEL);
    const HAS_OUT: u32 = 1 << 9;
    const FAILS_TO_ROOT: u32 = 1 << 10;

    #[inline]
    fn new(label: u8, has_out: bool, fails_to_root: bool) -> Slot {
        let out = if has_out { Slot::HAS_OUT } else { 0 };
        Slot(u32::from(label) | out | if fails_to_root { Slot::FAILS_TO_ROOT } else { 0 })
    }

    #[inline]
    fn label(self) -> u32 {
        self.0 & 0x1ff
    }

    #[inline]
    fn has_out(self) -> bool {
        self.0 & Slot::HAS_OUT != 0
    }

    /// Whether the state's failure state is the root: most are, and a step that misses a child then reads no
    /// failure link.
    #[inline]
    fn fails_to_root(self) -> bool {
        self.0 & Slot::FAILS_TO_ROOT != 0
    }

    #[inline]
    fn base(self) -> u32 {
        self.0 >> 11
    }

    fn set_base(&mut self, base: u32) {
        self.0 = self.0 & 0x7ff | base << 11;
    }
}

#[derive(Clone, Copy)]
struct Out {
    pattern: u32,
    len: u32,
    /// The next output of the chain (1-based), or [`NO_OUT`].
    next: u32,
}

impl DoubleArray {
    fn new(patterns: &[&[u8]]) -> Result<DoubleArray, String> {
        if patterns.len() > MAX_PATTERNS {
            return Err(format!("{} phrases; one automaton holds at most {MAX_PATTERNS}", patterns.len()));
        }
        if let Some(i) = patterns.iter().position(|p| p.is_empty()) {
            return Err(format!("phrase {i} is empty"));
        }
        // The trie is built breadth first from the sorted list (equal patterns in list order): a state is a range
        // of the list (the patterns it begins) and a depth, and its children are the range's runs of one byte at
        // that depth. A state's failure state is shallower, so it is placed, and its outputs known, before the
        // state is.
        let mut order: Vec<u32> = (0..patterns.len() as u32).collect();
        order.sort_by(|&a, &b| patterns[a as usize].cmp(patterns[b as usize]).then(a.cmp(&b)));
        let pattern = |k: usize| patterns[order[k] as usize];
        // One state per distinct prefix (and the root), and a double array this dense leaves few slots empty: the
        // slots are reserved once, as the build's memory adds to the start-up's peak (growing by doubling cost
        // 1.3 MB more on the default pack).
        let common = |a: &[u8], b: &[u8]| a.iter().zip(b).take_while(|(x, y)| x == y).count();
        let states = 1
            + (0..order.len())
                .map(|k| pattern(k).len() - k.checked_sub(1).map_or(0, |j| common(pattern(j), pattern(k))))
                .sum::<usize>();
        let mut b = Builder::with_capacity(states + states / 16 + (OPEN_BLOCKS + 1) * 256, patterns.len());
        b.take(ROOT);
        // (state, the range of `order` it begins, depth), 16 bytes an entry: the widest level of the default pack's
        // trie holds some 5,000 states.
        let mut queue = VecDeque::from([(ROOT, 0u32, order.len() as u32, 0u32)]);
        let mut runs: Vec<(u8, usize, usize)> = Vec::new();
        while let Some((state, lo, hi, depth)) = queue.pop_front() {
            let (mut lo, hi, depth) = (lo as usize, hi as usize, depth as usize);
            // The patterns that end at this state sort first in its range.
            while lo < hi && pattern(lo).len() == depth {
                lo += 1;
            }
            runs.clear();
            while lo < hi {
                let c = pattern(lo)[depth];
                let end = lo + order[lo..hi].partition_point(|&p| patterns[p as usize][depth] == c);
                runs.push((c, lo, end));
                lo = end;
            }
            if runs.is_empty() {
                continue;
            }
            let base = b.place(runs.iter().map(|r| r.0))?;
            b.slots[state as usize].set_base(base);
            for &(c, lo, hi) in &runs {
                let child = base ^ u32::from(c);
                b.take(child);
                let fail = match state {
                    ROOT => ROOT,
                    _ => {
                        let mut f = b.fails[state as usize];
                        loop {
                            if let Some(t) = b.child(f, c) {
                                break t;
                            }
                            if f == ROOT {
                                break ROOT;
                            }
                            f = b.fails[f as usize];
                        }
                    }
                };
                let mut out = b.firsts[fail as usize];
                let ends = (lo..hi).take_while(|&k| pattern(k).len() == depth + 1).count();
                for k in (lo..lo + ends).rev() {
                    b.outs.push(Out { pattern: order[k], len: (depth + 1) as u32, next: out });
                    out = b.outs.len() as u32;
                }
                b.fails[child as usize] = fail;
                b.slots[child as usize] = Slot::new(c, out != NO_OUT, fail == ROOT);
                b.firsts[child as usize] = out;
                queue.push_back((child, lo as u32, hi as u32, (depth + 1) as u32));
            }
        }
        let Builder { mut slots, mut firsts, mut fails, mut outs, free, bases, .. } = b;
        drop((free, bases));
        slots.shrink_to_fit();
        firsts.shrink_to_fit();
        fails.shrink_to_fit();
        outs.shrink_to_fit();
        let mut da = DoubleArray { slots, firsts, fails, root: Box::new([ROOT; 256]), outs };
        for c in 0..=255u8 {
            da.root[usize::from(c)] = child(&da.slots, ROOT, c).unwrap_or(ROOT);
        }
        Ok(da)
    }

    /// Reads `text` from `at` in `state`, each byte as `read` maps it, up to and including the first byte that
    /// enters a state with outputs, or to the end: the place reached, the state there, and whether it stopped on
    /// outputs. `read` gets each byte and `last`, the value it left for the byte before (the walk only carries it).
    ///
    /// The hot loop of every walk: a step carries the slot it read, so a state's base needs no second load.
    #[inline]
    fn walk_to_output(
        &self,
        text: &[u8],
        mut at: usize,
        mut state: u32,
        last: &mut u16,
        read: impl Fn(u8, u16) -> (u8, u16),
    ) -> (usize, u32, bool) {
        let (slots, fails, root) = (&self.slots[..], &self.fails[..], &*self.root);
        let mut slot = slots[state as usize];
        while let Some(&b) = text.get(at) {
            let c;
            (c, *last) = read(b, *last);
            at += 1;
            // The state after `c`: its own child, or else that of the nearest failure state that has one.
            loop {
                if state == ROOT {
                    state = root[usize::from(c)];
                    slot = slots[state as usize];
                    break;
                }
                // (A state without children probes one of slots 0 to 255, and finds another label there.)
                let t = slot.base() ^ u32::from(c);
                let s = slots[t as usize];
                if s.label() == u32::from(c) {
                    (state, slot) = (t, s);
                    break;
                }
                if slot.fails_to_root() {
                    state = root[usize::from(c)];
                    slot = slots[state as usize];
                    break;
                }
                state = fails[state as usize];
                slot = slots[state as usize];
            }
            if slot.has_out() {
                return (at, state, true);
            }
        }
        (at, state, false)
    }

    /// The first output of `state` (1-based), or [`NO_OUT`].
    #[inline]
    fn out(&self, state: u32) -> u32 {
        match self.slots[state as usize].has_out() {
            true => self.firsts[state as usize],
            false => NO_OUT,
        }
    }
}

/// The child of `state` on `c` in `slots`, if it has one.
fn child(slots: &[Slot], state: u32, c: u8) -> Option<u32> {
    let t = slots[state as usize].base() ^ u32::from(c);
    (slots[t as usize].label() == u32::from(c)).then_some(t)
}

/// A double array under construction: its slots and outputs, and a bit per slot for whether it is free and one for
/// whether some state has it as its base.
struct Builder {
    slots: Vec<Slot>,
    firsts: Vec<u32>,
    fails: Vec<u32>,
    outs: Vec<Out>,
    free: Vec<u64>,
    bases: Vec<u64>,
    /// The first block still open.
    open: usize,
}

impl Builder {
    fn with_capacity(slots: usize, patterns: usize) -> Builder {
        let words = slots.div_ceil(64);
        let mut b = Builder {
            slots: Vec::with_capacity(slots),
            firsts: Vec::with_capacity(slots),
            fails: Vec::with_capacity(slots),
            outs: Vec::with_capacity(patterns),
            free: Vec::with_capacity(words),
            bases: Vec::with_capacity(words),
            open: 0,
        };
        b.grow();
        // Base 0 is the states' without children.
        b.bases[NO_BASE as usize / 64] |= 1 << (NO_BASE % 64);
        b
    }

    fn child(&self, state: u32, c: u8) -> Option<u32> {
        child(&self.slots, state, c)
    }

    /// Adds a block of 256 free slots, and closes the oldest open block past [`OPEN_BLOCKS`].
    fn grow(&mut self) {
        self.slots.resize(self.slots.len() + 256, Slot::EMPTY);
        self.firsts.resize(self.slots.len(), NO_OUT);
        self.fails.resize(self.slots.len(), ROOT);
        self.free.extend([u64::MAX; 4]);
        self.bases.extend([0; 4]);
        if self.slots.len() / 256 > self.open + OPEN_BLOCKS {
            self.open += 1;
        }
    }

    fn is_free(&self, i: u32) -> bool {
        self.free[i as usize / 64] & 1 << (i % 64) != 0
    }

    /// Marks slot `i` used.
    fn take(&mut self, i: u32) {
        self.free[i as usize / 64] &= !(1 << (i % 64));
    }

    /// A base that no state has yet, under which every label's slot is free: the first such, by the free slots of
    /// the open blocks in order (a base and its children share a block of 256).
    fn place(&mut self, labels: impl Iterator<Item = u8> + Clone) -> Result<u32, String> {
        let mut rest = labels.clone();
        let first = u32::from(rest.next().expect("a state placed has children"));
        loop {
            for w in self.open * 4..self.free.len() {
                let mut bits = self.free[w];
                while bits != 0 {
                    let t = (w * 64) as u32 + bits.trailing_zeros();
                    bits &= bits - 1;
                    let base = t ^ first;
                    let taken = self.bases[base as usize / 64] & 1 << (base % 64) != 0;
                    if !taken && rest.clone().all(|c| self.is_free(base ^ u32::from(c))) {
                        self.bases[base as usize / 64] |= 1 << (base % 64);
                        return Ok(base);
                    }
                }
            }
            if self.slots.len() + 256 > MAX_SLOTS {
                return Err(format!("the automaton outgrows {MAX_SLOTS} states"));
            }
            self.grow();
        }
    }
}

/// The walk of a [`DoubleArray`], reading each byte lower-cased if `FOLD`.
pub(crate) struct Walk<'a, const FOLD: bool> {
    da: &'a DoubleArray,
    haystack: &'a [u8],
    /// Bytes read so far: the end of the outputs of `state`.
    at: usize,
    state: u32,
    /// The next output to report (1-based), or [`NO_OUT`].
    out: u32,
}

impl<const FOLD: bool> Walk<'_, FOLD> {
    #[inline]
    fn next(&mut self) -> Option<(u32, usize, usize)> {
        if self.out == NO_OUT {
            let da = self.da;
            let fold = |b: u8, _| (if FOLD { b.to_ascii_lowercase() } else { b }, 0);
            let (at, state, found) = da.walk_to_output(self.haystack, self.at, self.state, &mut 0, fold);
            (self.at, self.state) = (at, state);
            if !found {
                return None;
            }
            self.out = da.firsts[state as usize];
        }
        let o = self.da.outs[self.out as usize - 1];
        self.out = o.next;
        Some((o.pattern, self.at - o.len as usize, self.at))
    }
}

#[cfg(test)]
mod tests {
    use super::{Literals, WordLiterals};
    use crate::posting::Normalized;
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

        /// Any list over a small alphabet (so that patterns share prefixes, suffixes and one another's middles, and
        /// may repeat, also in another case) and any text over it, with a multi-byte letter among them: the walk
        /// finds the crate's matches, in its order, byte for byte and case-insensitively.
        #[test]
        fn the_walk_matches_the_crate_on_any_list_and_text(
            patterns in proptest::collection::vec("[abAB é]{1,6}", 1..32),
            text in "[abAB éc]{0,80}",
            case_insensitive: bool,
        ) {
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
    fn a_list_of_thousands_fills_and_closes_many_blocks_and_still_matches_the_crate() {
        // Every word of up to seven letters over "abcd" whose byte sum is odd: 10,922 patterns and 13,653 states,
        // over fifty blocks of 256 slots, so the build closes the oldest as it goes.
        let mut patterns = Vec::new();
        let mut words = vec![String::new()];
        for _ in 0..7 {
            words = words.iter().flat_map(|w| ['a', 'b', 'c', 'd'].map(|c| format!("{w}{c}"))).collect();
            patterns.extend(words.iter().filter(|w| w.bytes().map(u32::from).sum::<u32>() % 2 == 1).cloned());
        }
        assert_eq!(patterns.len(), 10_922);
        let refs: Vec<&str> = patterns.iter().map(String::as_str).collect();
        let lits = Literals::new(&refs).expect("builds");
        let text: String = (0..4000u32).map(|i| ['a', 'b', 'c', 'd', ' '][(i * 7 + i / 3) as usize % 5]).collect();
        let ours: Vec<_> = lits.overlapping(text.as_bytes()).collect();
        assert!(ours.len() > 4000, "{}", ours.len());
        assert_eq!(ours, reference(&refs, &text));
    }

    #[test]
    fn an_empty_pattern_is_an_error_not_a_match_everywhere() {
        let err = Literals::new(["owner", ""]).expect_err("an empty phrase is refused");
        assert!(err.contains("phrase 1 is empty"), "{err}");
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
        // The word walk leaves out what the scan drops (a closed phrase starting inside a word, one that needs a
        // word end and no regex tries ending inside one), nothing else.
        let act = |p: u32| rules.body_actions[p as usize];
        let kept = |&&(p, s, e): &&(u32, usize, usize)| {
            let (os, oe) = norm.original_span(s, e);
            (!act(p).closed_left || crate::posting::left_boundary(text, os))
                && (!act(p).closed_right || act(p).regexes > 0 || crate::posting::right_boundary(text, oe))
        };
        let theirs: Vec<_> = theirs.iter().filter(kept).copied().collect();
        let ours: Vec<_> = rules.automaton.overlapping(norm.text.as_bytes(), norm.hidden_starts(), 0).collect();
        assert!(ours.len() > 20, "{}", ours.len());
        assert_eq!(ours, theirs);
        // Some were left out for their end alone ("engineer" in "engineering", "product" in "products").
        let ends_inside = |&(p, s, e): &(u32, usize, usize)| {
            let (os, oe) = norm.original_span(s, e);
            (!act(p).closed_left || crate::posting::left_boundary(text, os))
                && !crate::posting::right_boundary(text, oe)
        };
        let all = reference(&body, &norm.text);
        assert!(all.iter().filter(|m| ends_inside(m)).count() > theirs.iter().filter(|m| ends_inside(m)).count());
    }

    /// `WordLiterals` over `patterns` (`closed[i]`: pattern `i` counts only at a word start; `ends[i]`: only where
    /// a word may end after it).
    fn word_literals(patterns: &[&str], closed: &[bool], ends: &[bool]) -> WordLiterals {
        WordLiterals::new(patterns, |i| closed[i], |i| ends[i]).expect("builds")
    }

    #[test]
    fn the_word_walk_leaves_out_closed_phrases_inside_words_only() {
        let patterns = ["age", "man", "manage", "team", "lead", "ship", "own"];
        let closed = [true, true, true, true, false, true, false];
        let lits = word_literals(&patterns, &closed, &[false; 7]);
        let text = "management of a teamlead; leadership; known owners";
        let norm = Normalized::new(text);
        let found: Vec<_> = lits.overlapping(norm.text.as_bytes(), norm.hidden_starts(), 0).collect();
        let words: Vec<&str> = found.iter().map(|&(_, s, e)| &norm.text[s..e]).collect();
        // "age" in "management", "lead" in "teamlead" is open so it stays, "ship" in "leadership" goes, "own" in
        // "known" is open and stays.
        assert_eq!(words, ["man", "manage", "team", "lead", "lead", "own", "own"]);
        assert_eq!(found[4], (4, 26, 30));
        assert_eq!(found[5], (6, 40, 43), "\"own\" inside \"known\", an open phrase");
    }

    #[test]
    fn a_word_start_the_normalised_text_hides_is_still_looked_up() {
        // camelCase, an entity and an invisible character: the original starts a word where the normalised text
        // shows two word bytes side by side.
        let lits = word_literals(&["lead", "backlog", "log"], &[true, true, true], &[false; 3]);
        for (text, want) in [
            ("teamLead", vec![(0, 4, 8)]),
            ("team&#76;ead", vec![(0, 4, 8)]),
            ("team\u{200B}lead", vec![(0, 4, 8)]),
            ("teamlead", vec![]),
            ("ourBacklog", vec![(1, 3, 10)]),
            ("ourBackLog", vec![(1, 3, 10), (2, 7, 10)]),
        ] {
            let norm = Normalized::new(text);
            let found: Vec<_> = lits.overlapping(norm.text.as_bytes(), norm.hidden_starts(), 0).collect();
            assert_eq!(found, want, "{text:?} -> {:?}", norm.text);
        }
    }

    #[test]
    fn a_phrase_with_a_byte_the_symbols_use_falls_back_to_every_match() {
        let lits = word_literals(&["a\u{1}b", "age"], &[true, true], &[true, true]);
        let found: Vec<_> = lits.overlapping(b"managed a\x01b", &[], 0).collect();
        assert_eq!(found, [(1, 3, 6), (0, 8, 11)]);
    }

    #[test]
    fn the_word_walk_leaves_out_phrases_that_need_a_word_end_where_none_can_be() {
        let lits = word_literals(&["engineer", "lan", "data"], &[true; 3], &[true, true, false]);
        let text = "engineering engineer language lanGuage dataset";
        let norm = Normalized::new(text);
        let found: Vec<_> = lits.overlapping(norm.text.as_bytes(), norm.hidden_starts(), 0).collect();
        // "engineer" inside "engineering" and "lan" inside "language" go; "lanGuage" may end a word after "lan"
        // (a case change, hidden in the normalised text); "data" needs no word end.
        assert_eq!(found, [(0, 12, 20), (1, 30, 33), (2, 39, 43)]);
        // A stretch that stops inside a word cannot tell: the match stays, for the scan to judge.
        let found: Vec<_> = lits.overlapping(&norm.text.as_bytes()[..24], norm.hidden_starts(), 0).collect();
        assert_eq!(found, [(0, 12, 20), (1, 21, 24)]);
    }

    /// The fragments the texts of the word walk's property are made of: words and parts of words in either case,
    /// digits, spaces and hyphens, an entity, an invisible character, a ligature and an accented letter.
    const FRAGMENTS: [&str; 14] =
        ["a", "b", "ab", "A", "B", "bA", " ", "-", "1", "_", "&#98;", "\u{200B}", "\u{FB01}", "é"];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(400))]

        /// Any list of distinct phrases (as the compiler's are), each open or closed at either end, and any text:
        /// over the normalised text, or a stretch of it that starts and ends where the scan's proximity stretches
        /// may (anywhere), the word walk reports the plain walk's matches in its order, less some of those of a
        /// closed phrase, and never one the scan would keep: one starting where `left_boundary` holds in the
        /// original text, if closed there, and ending where `right_boundary` holds, if it needs a word end.
        #[test]
        fn the_word_walk_drops_only_what_the_scan_drops(
            patterns in proptest::collection::btree_set("[ab é_1]{1,5}", 1..24),
            closed in proptest::collection::vec(proptest::bool::ANY, 24),
            ends in proptest::collection::vec(proptest::bool::ANY, 24),
            pieces in proptest::collection::vec(0..FRAGMENTS.len(), 0..40),
            from in 0usize..64,
            cut in 0usize..64,
        ) {
            let patterns: Vec<String> = patterns.into_iter().collect();
            let text: String = pieces.iter().map(|&k| FRAGMENTS[k]).collect();
            let norm = Normalized::new(&text);
            let from = crate::posting::floor_boundary(&norm.text, from.min(norm.text.len()));
            let to = crate::posting::ceil_boundary(&norm.text, norm.text.len().saturating_sub(cut).max(from));
            let hay = &norm.text.as_bytes()[from..to];
            let pats: Vec<&str> = patterns.iter().map(String::as_str).collect();
            let lits = word_literals(&pats, &closed, &ends);
            let ours: Vec<_> = lits.overlapping(hay, norm.hidden_starts(), from).collect();
            let plain = Literals::new(&patterns).expect("builds");
            let theirs: Vec<_> = plain.overlapping(hay).collect();
            let mut rest = theirs.iter();
            for m in &ours {
                proptest::prop_assert!(rest.any(|t| t == m), "{m:?} is not in {theirs:?} in its order");
            }
            for &(p, s, e) in &theirs {
                let (os, oe) = norm.original_span(from + s, from + e);
                let kept = (!closed[p as usize] || crate::posting::left_boundary(&text, os))
                    && (!ends[p as usize] || crate::posting::right_boundary(&text, oe));
                proptest::prop_assert!(!kept || ours.contains(&(p, s, e)), "{:?} dropped in {:?}", (p, s, e), norm.text);
            }
        }
    }
}
