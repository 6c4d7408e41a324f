//! Preparing a posting for matching: the normalised text with its map back to the original bytes, word
//! boundaries, clause breaks and boilerplate sections.
//!
//! [`Normalized::build`] turns the original text into a buffer the automaton can match case-sensitively:
//! letters lower-cased (Unicode-aware), every run of whitespace, hyphens and dashes collapsed into one space, HTML
//! tags replaced by a space, HTML entities decoded, zero-width characters dropped, typographic quotes made plain.
//! Each output byte remembers the original byte range it came from, so a match in the buffer maps back to a byte
//! range of the **original** text: evidence never points into a copy. The same function normalises rule phrases at
//! compile time, so phrases and postings always agree.
//!
//! Boundaries and clause breaks are judged on the original text ([`left_boundary`], [`right_boundary`],
//! [`has_clause_break`]); boilerplate sections are computed from heading and phrase cues ([`boilerplate_ranges`]).
//! Nothing here knows a language: the cues come from the rule pack's language files.

pub(crate) mod sixteen;

/// A posting to classify: its body and, optionally, the title it was posted under.
#[derive(Debug, Clone, Copy)]
pub struct Posting<'a> {
    /// The body. Evidence spans are byte ranges into this text.
    pub text: &'a str,
    /// The posted title, reported beside the verdict but never scored.
    pub title: Option<&'a str>,
}

impl<'a> Posting<'a> {
    /// A posting with a body and no title.
    pub fn new(text: &'a str) -> Self {
        Posting { text, title: None }
    }
}

/// The longest text read for matching, in bytes (2 GiB): normalising can lengthen a text by half (`İ` is two bytes,
/// its lower case three), and the normalised text's offsets must fit in 32 bits.
pub const MAX_TEXT_BYTES: usize = 1 << 31;

/// A normalised copy of a text with, for every byte, the original byte range it came from.
///
/// The map is stored as pieces, not per byte: most of a posting copies over one to one (lower-casing ASCII keeps
/// lengths), so a piece records only where such a run starts; a *squeezed* piece is one normalised character that
/// stands for a different number of original bytes (collapsed whitespace, a tag, an entity, a lower-cased `İ`), and
/// every byte of it maps to the whole original range.
#[derive(Debug, Default, Clone)]
pub struct Normalized {
    /// The normalised text.
    pub text: String,
    pieces: Vec<Piece>,
    /// The hidden word starts: ascending offsets where the original text may start a word although the normalised
    /// bytes on both sides are word bytes (see [`Normalized::hidden_starts`]).
    hidden: Vec<u32>,
}

/// One piece of the map: normalised bytes from `at` on (up to the next piece) come from the original text at `from`.
#[derive(Debug, Clone, Copy)]
struct Piece {
    at: u32,
    from: u32,
    /// `Some(end)`: squeezed, every byte maps to `from..end`; `None`: one to one.
    squeezed: Option<u32>,
}

impl Normalized {
    /// Normalises `input` into a fresh buffer.
    pub fn new(input: &str) -> Normalized {
        let mut n = Normalized::default();
        n.build(input);
        n
    }

    /// Normalises `input`, reusing this buffer's allocations. Only the first [`MAX_TEXT_BYTES`] of a longer input
    /// are read (the map keeps 32-bit offsets): nothing past them is ever matched.
    pub fn build(&mut self, input: &str) {
        self.build_capped(input, MAX_TEXT_BYTES);
    }

    fn build_capped(&mut self, input: &str, cap: usize) {
        self.text.clear();
        self.pieces.clear();
        self.hidden.clear();
        let input = &input[..floor_boundary(input, cap.min(input.len()))];
        let bytes = input.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii() {
                match b {
                    b' ' | b'\t' | b'\n' | b'\r' | b'-' | 0x0b | 0x0c => {
                        self.push_space(i, i + 1);
                        i += 1;
                    }
                    b'<' => {
                        if let Some(end) = tag_end(bytes, i) {
                            self.push_space(i, end);
                            i = end;
                        } else {
                            self.push_char('<', i, i + 1);
                            i += 1;
                        }
                    }
                    b'&' => {
                        if let Some((c, end)) = entity(bytes, i) {
                            self.push_mapped(c, i, end);
                            i = end;
                        } else {
                            self.push_char('&', i, i + 1);
                            i += 1;
                        }
                    }
                    _ => {
                        // A run of plain ASCII (single spaces between words included) maps one to one: copy it,
                        // lower-case it, map it in bulk.
                        let from = self.text.len();
                        let run = plain_run(bytes, i, from, &mut self.hidden);
                        self.text.push_str(&input[i..run]);
                        self.text[from..].make_ascii_lowercase();
                        self.map_pushed(run - i, i, run);
                        i = run;
                    }
                }
                continue;
            }
            // Non-ASCII: decode one char (input is &str, so it is valid UTF-8).
            let c = input[i..].chars().next().expect("char boundary");
            let next = i + c.len_utf8();
            self.push_mapped(c, i, next);
            i = next;
        }
        self.add_piece_starts();
    }

    /// Where the original text may start a word that the normalised text does not show: places where two word
    /// bytes of the normalised text (`automaton`'s `is_word`) meet, but where [`left_boundary`] may find a
    /// boundary in the original, because the two bytes do not stand side by side there or differ in case. That is a
    /// lower-case letter followed by an upper-case one (`teamLead`), and the start of every piece of the map (where
    /// the map stops being one to one: after a dropped invisible character, an entity, a lower-cased `İ`).
    /// Ascending.
    pub fn hidden_starts(&self) -> &[u32] {
        &self.hidden
    }

    /// Adds the piece starts (and the bytes of squeezed pieces) between two word bytes to the hidden word starts.
    fn add_piece_starts(&mut self) {
        let bytes = self.text.as_bytes();
        let camel = self.hidden.len();
        for (k, p) in self.pieces.iter().enumerate() {
            let at = p.at as usize;
            let to = match p.squeezed {
                Some(_) => self.pieces.get(k + 1).map_or(bytes.len(), |q| q.at as usize),
                None => at + 1,
            };
            self.hidden.extend((at..to).filter(|&i| crate::automaton::words_meet(bytes, i)).map(|i| i as u32));
        }
        if self.hidden.len() > camel && camel > 0 {
            self.hidden.sort_unstable();
            self.hidden.dedup();
        }
    }

    /// Gives back its buffers when they hold room for more than about `bytes` bytes of text (so that many kept
    /// buffers cannot each keep the room of the longest text they ever held).
    pub fn trim(&mut self, bytes: usize) {
        if self.text.capacity() > bytes {
            self.text = String::new();
        }
        if self.pieces.capacity() > bytes / 8 {
            self.pieces = Vec::new();
        }
        if self.hidden.capacity() > bytes / 64 {
            self.hidden = Vec::new();
        }
    }

    /// The stretch of the normalised text around a proximity rule's trigger anchor at `start..end` where its other
    /// side can stand: `window` words and then a whole partner (at most `partner_words` words, `partner_len`
    /// bytes) on either side, and no further than the pairing looks ([`near_reach`]). Words are counted loosely
    /// (any non-ASCII byte is a word byte), so the stretch never holds fewer words than [`near_gap_words`] counts
    /// in the original: a partner the pairing would accept is always inside.
    pub fn near_stretch(
        &self,
        start: usize,
        end: usize,
        window: u8,
        partner_words: usize,
        partner_len: usize,
    ) -> (usize, usize) {
        (
            self.near_stretch_start(start, window, partner_words, partner_len),
            self.near_stretch_end(end, window, partner_words, partner_len),
        )
    }

    /// Where [`Normalized::near_stretch`] starts, for an anchor starting at `start`. It never lies after `start`,
    /// and never moves back when `start` moves forward or `window` shrinks (the word starts before a later place
    /// include those before an earlier one).
    pub fn near_stretch_start(&self, start: usize, window: u8, partner_words: usize, partner_len: usize) -> usize {
        let bytes = self.text.as_bytes();
        let start = start.min(bytes.len());
        // The gap's words, the partner's words, and one more for a word the anchor starts or ends inside.
        let words = usize::from(window) + partner_words + 1;
        let limit = near_reach(window) + partner_len + NEAR_SLACK;
        // Backwards: stop at the start of the `words`-th word before `start`.
        let lo = start.saturating_sub(limit);
        let (mut i, mut seen) = (start, 0);
        while i > lo {
            if near_word(bytes[i - 1]) && (i - 1 == 0 || !near_word(bytes[i - 2])) {
                seen += 1;
                if seen == words {
                    i -= 1;
                    break;
                }
            }
            i -= 1;
        }
        floor_boundary(&self.text, i)
    }

    /// Where [`Normalized::near_stretch`] ends, for an anchor ending at `end`.
    pub fn near_stretch_end(&self, end: usize, window: u8, partner_words: usize, partner_len: usize) -> usize {
        let bytes = self.text.as_bytes();
        let end = end.min(bytes.len());
        let words = usize::from(window) + partner_words + 1;
        let limit = near_reach(window) + partner_len + NEAR_SLACK;
        // Forwards: stop at the end of the `words`-th word after `end`.
        let hi = (end + limit).min(bytes.len());
        let (mut j, mut seen) = (end, 0);
        while j < hi {
            if near_word(bytes[j]) && (j + 1 == bytes.len() || !near_word(bytes[j + 1])) {
                seen += 1;
                if seen == words {
                    j += 1;
                    break;
                }
            }
            j += 1;
        }
        ceil_boundary(&self.text, j)
    }

    /// Maps a byte range of the normalised text back to a byte range of the original text.
    pub fn original_span(&self, start: usize, end: usize) -> (usize, usize) {
        debug_assert!(start < end && end <= self.text.len());
        (self.original_range(start).0, self.original_range(end - 1).1)
    }

    /// [`Normalized::original_span`] for spans looked up by increasing end (the automaton's order): `cursor`
    /// keeps the piece of the last end, so a lookup steps a piece or two instead of searching the whole map.
    /// Any order is still correct (a span ending before the cursor is searched for).
    pub fn original_span_near(&self, start: usize, end: usize, cursor: &mut usize) -> (usize, usize) {
        debug_assert!(start < end && end <= self.text.len());
        let last = end - 1;
        let mut k = (*cursor).min(self.pieces.len() - 1);
        if self.pieces[k].at as usize > last {
            k = self.pieces.partition_point(|p| p.at as usize <= last) - 1;
        } else {
            while self.pieces.get(k + 1).is_some_and(|p| p.at as usize <= last) {
                k += 1;
            }
        }
        *cursor = k;
        // The start is a phrase's length before the end: walk back.
        let mut j = k;
        while self.pieces[j].at as usize > start {
            j -= 1;
        }
        (self.range_in(j, start).0, self.range_in(k, last).1)
    }

    /// The normalised offset that original offset `orig` maps to: where the normalised text stands when the
    /// original text reaches `orig` (a byte inside a squeezed character maps to that character's start).
    pub fn normalized_offset(&self, orig: usize) -> usize {
        let k = self.pieces.partition_point(|p| p.from as usize <= orig);
        let Some(p) = k.checked_sub(1).map(|k| self.pieces[k]) else { return 0 };
        let next_at = self.pieces.get(k).map_or(self.text.len(), |q| q.at as usize);
        match p.squeezed {
            Some(end) if orig >= end as usize => next_at,
            Some(_) => p.at as usize,
            None => (p.at as usize + (orig - p.from as usize)).min(next_at),
        }
    }

    /// The original byte range normalised byte `i` came from.
    fn original_range(&self, i: usize) -> (usize, usize) {
        let k = self.pieces.partition_point(|p| p.at as usize <= i);
        self.range_in(k - 1, i)
    }

    /// The original byte range of normalised byte `i`, which lies in piece `k`.
    fn range_in(&self, k: usize, i: usize) -> (usize, usize) {
        let p = self.pieces[k];
        match p.squeezed {
            Some(end) => (p.from as usize, end as usize),
            None => {
                let o = p.from as usize + (i - p.at as usize);
                (o, o + 1)
            }
        }
    }

    /// Records that the last `len` bytes of the text came from original bytes `start..end`.
    fn map_pushed(&mut self, len: usize, start: usize, end: usize) {
        let at = (self.text.len() - len) as u32;
        if self.pieces.last().is_some_and(|p| p.squeezed.is_some() && p.from as usize == start) {
            return; // more of one character's lower-case expansion: the squeezed piece covers it
        }
        if end - start == len {
            let continues = self
                .pieces
                .last()
                .is_some_and(|p| p.squeezed.is_none() && p.from as usize + (at - p.at) as usize == start);
            if !continues {
                self.pieces.push(Piece { at, from: start as u32, squeezed: None });
            }
        } else {
            self.pieces.push(Piece { at, from: start as u32, squeezed: Some(end as u32) });
        }
    }

    fn push_mapped(&mut self, c: char, start: usize, end: usize) {
        if c.is_whitespace() || is_dash(c) {
            self.push_space(start, end);
        } else if is_invisible(c) {
            // dropped; the neighbours keep their own mapping
        } else if let Some(plain) = plain_quote(c) {
            self.push_char(plain, start, end);
        } else if c.is_uppercase() {
            for l in c.to_lowercase() {
                self.push_char(l, start, end);
            }
        } else {
            self.push_char(c, start, end);
        }
    }

    fn push_char(&mut self, c: char, start: usize, end: usize) {
        let mut buf = [0u8; 4];
        let s = c.encode_utf8(&mut buf);
        self.text.push_str(s);
        let len = s.len();
        self.map_pushed(len, start, end);
    }

    fn push_space(&mut self, start: usize, end: usize) {
        if self.text.ends_with(' ') {
            // Collapse into the space before: it now stands for everything up to `end`.
            let at = (self.text.len() - 1) as u32;
            // The last piece holds the text's last byte: no search needed.
            let (from, _) = self.range_in(self.pieces.len() - 1, at as usize);
            match self.pieces.last_mut() {
                Some(p) if p.at == at => *p = Piece { at, from: from as u32, squeezed: Some(end as u32) },
                _ => self.pieces.push(Piece { at, from: from as u32, squeezed: Some(end as u32) }),
            }
        } else {
            self.push_char(' ', start, end);
        }
    }
}

/// Normalises a rule phrase the way postings are normalised, trimmed of outer spaces.
pub fn normalize_phrase(phrase: &str) -> String {
    // Fast path for the common case (already lower-case ASCII, single spaces): nothing to change.
    let b = phrase.as_bytes();
    let plain = b
        .iter()
        .all(|&c| c.is_ascii() && !matches!(c, b'A'..=b'Z' | b'-' | b'<' | b'&' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c))
        && !phrase.contains("  ");
    if plain {
        return phrase.trim().to_string();
    }
    Normalized::new(phrase).text.trim().to_string()
}

/// What the normaliser's bulk copy does with a byte: `PLAIN` copies over (ASCII but whitespace, `-`, `<`, `&`), a
/// `SPACE` copies over unless it follows another space, anything else (`STOP`) ends the run.
const PLAIN: u8 = 0;
const SPACE: u8 = 1;
const STOP: u8 = 2;
static RUN_CLASS: [u8; 256] = {
    let mut t = [STOP; 256];
    let mut c = 0;
    while c < 128 {
        t[c] = match c as u8 {
            b' ' => SPACE,
            b'\t' | b'\n' | b'\r' | b'-' | 0x0b | 0x0c | b'<' | b'&' => STOP,
            _ => PLAIN,
        };
        c += 1;
    }
    t
};

/// Where the run of plain ASCII with single spaces that starts at `i` (a plain byte) ends: at the first byte that
/// is neither, or at a space after a space. On the way it pushes `offset + k` to `case_starts` for every byte `k`
/// of the run after its first that is an upper-case letter after a lower-case one (the case changes that
/// [`left_boundary`] reads as word starts). Sixteen bytes are classified per step ([`sixteen`]), since runs are
/// tens of bytes long.
fn plain_run(bytes: &[u8], i: usize, offset: usize, case_starts: &mut Vec<u32>) -> usize {
    let mut run = i + 1;
    // Bit 0: the byte before the block is a space; a lower-case letter.
    let (mut prev_space, mut prev_lower) = (0u32, u32::from(bytes[i].is_ascii_lowercase()));
    while let Some(x) = sixteen::at(bytes, run) {
        let spaces = x.eq(b' ').bits();
        // \t \n 0x0b 0x0c \r, - < &, and any non-ASCII byte.
        let stops = (x.within(9, 13) | x.eq(b'-') | x.eq(b'<') | x.eq(b'&')).bits()
            | x.bits()
            | (spaces & ((spaces << 1) | prev_space));
        let lower = x.within(b'a', b'z').bits();
        let mut starts = x.within(b'A', b'Z').bits() & ((lower << 1) | prev_lower);
        if stops != 0 {
            starts &= (1 << stops.trailing_zeros()) - 1;
        }
        while starts != 0 {
            case_starts.push((offset + run - i + starts.trailing_zeros() as usize) as u32);
            starts &= starts - 1;
        }
        if stops != 0 {
            return run + stops.trailing_zeros() as usize;
        }
        (prev_space, prev_lower) = (spaces >> 15, lower >> 15);
        run += 16;
    }
    let mut prev_space = prev_space != 0;
    while run < bytes.len() {
        let class = RUN_CLASS[bytes[run] as usize];
        if class == STOP || (class == SPACE && prev_space) {
            break;
        }
        if bytes[run].is_ascii_uppercase() && bytes[run - 1].is_ascii_lowercase() {
            case_starts.push((offset + run - i) as u32);
        }
        prev_space = class == SPACE;
        run += 1;
    }
    run
}

fn is_dash(c: char) -> bool {
    matches!(c, '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}')
}

fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

fn plain_quote(c: char) -> Option<char> {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' => Some('\''),
        '\u{201C}' | '\u{201D}' | '\u{201F}' => Some('"'),
        _ => None,
    }
}

/// If an HTML tag (or comment) starts at `i`, the byte after its closing `>`.
fn tag_end(bytes: &[u8], i: usize) -> Option<usize> {
    let next = *bytes.get(i + 1)?;
    if !(next.is_ascii_alphabetic() || next == b'/' || next == b'!') {
        return None;
    }
    let limit = bytes.len().min(i + 512);
    for (j, &b) in bytes.iter().enumerate().take(limit).skip(i + 1) {
        match b {
            b'>' => return Some(j + 1),
            b'<' => return None,
            _ => {}
        }
    }
    None
}

/// If an HTML entity starts at `i`, its character and the byte after its `;`.
fn entity(bytes: &[u8], i: usize) -> Option<(char, usize)> {
    let limit = bytes.len().min(i + 12);
    let semi = (i + 1..limit).find(|&j| bytes[j] == b';')?;
    let body = std::str::from_utf8(&bytes[i + 1..semi]).ok()?;
    let c = match body {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "ndash" | "mdash" => '-',
        "rsquo" | "lsquo" => '\'',
        "ldquo" | "rdquo" => '"',
        "bull" | "middot" => '\u{2022}',
        _ => {
            let num = body.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code)?
        }
    };
    Some((c, semi + 1))
}

/// A character that is part of a word: letters, digits, combining marks and `_`.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || matches!(c, '\u{0300}'..='\u{036F}')
}

/// A character of a script written without spaces between words (Chinese, Japanese, Thai, ...): no word
/// boundary is required next to it.
pub fn is_spaceless_script(c: char) -> bool {
    matches!(c,
        '\u{0E00}'..='\u{0EFF}'   // Thai, Lao
        | '\u{0F00}'..='\u{0FFF}' // Tibetan
        | '\u{1000}'..='\u{109F}' // Myanmar
        | '\u{1780}'..='\u{17FF}' // Khmer
        | '\u{2E80}'..='\u{2FDF}' // CJK radicals
        | '\u{3040}'..='\u{30FF}' // Hiragana, Katakana
        | '\u{3100}'..='\u{312F}' // Bopomofo
        | '\u{31A0}'..='\u{31FF}' // Bopomofo ext., Katakana ext.
        | '\u{3400}'..='\u{4DBF}' // CJK ext. A
        | '\u{4E00}'..='\u{9FFF}' // CJK unified
        | '\u{F900}'..='\u{FAFF}' // CJK compatibility
        | '\u{FF66}'..='\u{FF9F}' // half-width Katakana
        | '\u{20000}'..='\u{3FFFF}' // CJK ext. B..
    )
}

/// Whether a word boundary holds before byte `start` of `text` (Unicode-aware). No boundary is needed when the
/// match does not start with a word character, next to a spaceless script, or at a lower→upper case change
/// (`RequirementsMust`, a join left by scraping).
pub fn left_boundary(text: &str, start: usize) -> bool {
    if let Some(holds) = ascii_boundary(text.as_bytes(), start) {
        return holds;
    }
    let Some(first) = text[start..].chars().next() else { return true };
    let Some(prev) = text[..start].chars().next_back() else { return true };
    !is_word_char(first)
        || !is_word_char(prev)
        || is_spaceless_script(first)
        || is_spaceless_script(prev)
        || (prev.is_lowercase() && first.is_uppercase())
}

/// Whether a word boundary holds after byte `end` of `text` (see [`left_boundary`]).
pub fn right_boundary(text: &str, end: usize) -> bool {
    if let Some(holds) = ascii_boundary(text.as_bytes(), end) {
        return holds;
    }
    let Some(last) = text[..end].chars().next_back() else { return true };
    let Some(next) = text[end..].chars().next() else { return true };
    !is_word_char(last)
        || !is_word_char(next)
        || is_spaceless_script(last)
        || is_spaceless_script(next)
        || (last.is_lowercase() && next.is_uppercase())
}

/// The boundary test at byte `at` when the bytes on both sides are ASCII (whole characters then), without decoding;
/// `None` otherwise. The same rule: not between two word characters, unless a lower-case letter meets an upper-case.
fn ascii_boundary(b: &[u8], at: usize) -> Option<bool> {
    if at == 0 || at >= b.len() {
        return Some(true);
    }
    let (prev, next) = (b[at - 1], b[at]);
    if !(prev.is_ascii() && next.is_ascii()) {
        return None;
    }
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    Some(!word(prev) || !word(next) || (prev.is_ascii_lowercase() && next.is_ascii_uppercase()))
}

/// Characters that end a clause: a negation does not reach across them.
fn is_clause_break(c: char) -> bool {
    matches!(
        c,
        '.' | ';'
            | '!'
            | '?'
            | '\n'
            | '\u{2022}'
            | '\u{25CF}'
            | '\u{25AA}'
            | '\u{3002}'
            | '\u{FF01}'
            | '\u{FF1F}'
            | '\u{FF1B}'
            | '|'
    )
}

/// Whether `text[a..b]` holds a clause break (sentence end, semicolon, line break, bullet). A colon is not one:
/// "Scrum certification: not required" negates across it.
pub fn has_clause_break(text: &str, a: usize, b: usize) -> bool {
    a < b && text[a..b].chars().any(is_clause_break)
}

/// The word bytes of a normalised text as bits (`near_word`: any non-ASCII byte is one), 64 to a `u64`: the
/// proximity stretches ([`Normalized::near_stretch`]) count words by popcount instead of byte by byte. Built once
/// per text, it answers for every anchor of it.
#[derive(Debug, Default, Clone)]
pub struct WordBits {
    bits: Vec<u64>,
    len: usize,
}

impl WordBits {
    /// The bits of `text`, reusing this buffer.
    pub fn build(&mut self, text: &str) {
        let bytes = text.as_bytes();
        self.len = bytes.len();
        self.bits.clear();
        self.bits.extend(bytes.chunks(64).map(|chunk| {
            let mut m = 0u64;
            let mut sixteens = chunk.chunks_exact(16);
            for (k, block) in sixteens.by_ref().enumerate() {
                m |= u64::from(word_byte_bits(block.try_into().expect("sixteen bytes"))) << (16 * k);
            }
            let done = chunk.len() - sixteens.remainder().len();
            for (i, &b) in sixteens.remainder().iter().enumerate() {
                m |= u64::from(near_word(b)) << (done + i);
            }
            m
        }));
    }

    /// Word bits `k` (zero past the end).
    fn word(&self, k: usize) -> u64 {
        self.bits.get(k).copied().unwrap_or(0)
    }

    /// Bits of block `k` for the bytes that start a word.
    fn starts(&self, k: usize) -> u64 {
        let w = self.word(k);
        let before = if k == 0 { 0 } else { self.word(k - 1) >> 63 };
        w & !((w << 1) | before)
    }

    /// Bits of block `k` for the bytes that end a word.
    fn ends(&self, k: usize) -> u64 {
        let w = self.word(k);
        w & !((w >> 1) | (self.word(k + 1) << 63))
    }

    /// [`Normalized::near_stretch_start`] of `norm`, which these bits were built from.
    pub fn near_stretch_start(
        &self,
        norm: &Normalized,
        start: usize,
        window: u8,
        partner_words: usize,
        partner_len: usize,
    ) -> usize {
        debug_assert_eq!(self.len, norm.text.len());
        let start = start.min(self.len);
        let mut words = usize::from(window) + partner_words + 1;
        let lo = start.saturating_sub(near_reach(window) + partner_len + NEAR_SLACK);
        // The `words`-th word start in lo..start, counted down from `start`; `lo` when there are fewer.
        let mut at = lo;
        if start > lo {
            let (first, last) = (lo / 64, (start - 1) / 64);
            for k in (first..=last).rev() {
                let mut m = self.starts(k);
                if k == last {
                    m &= u64::MAX >> (63 - (start - 1) % 64);
                }
                if k == first {
                    m &= u64::MAX << (lo % 64);
                }
                let n = m.count_ones() as usize;
                if n >= words {
                    for _ in 1..words {
                        m &= !(1u64 << (63 - m.leading_zeros()));
                    }
                    at = k * 64 + (63 - m.leading_zeros() as usize);
                    break;
                }
                words -= n;
            }
        }
        floor_boundary(&norm.text, at)
    }

    /// [`Normalized::near_stretch_end`] of `norm`, which these bits were built from.
    pub fn near_stretch_end(
        &self,
        norm: &Normalized,
        end: usize,
        window: u8,
        partner_words: usize,
        partner_len: usize,
    ) -> usize {
        debug_assert_eq!(self.len, norm.text.len());
        let end = end.min(self.len);
        let mut words = usize::from(window) + partner_words + 1;
        let hi = (end + near_reach(window) + partner_len + NEAR_SLACK).min(self.len);
        // Just after the `words`-th word end in end..hi; `hi` when there are fewer.
        let mut at = hi;
        if hi > end {
            let (first, last) = (end / 64, (hi - 1) / 64);
            for k in first..=last {
                let mut m = self.ends(k);
                if k == first {
                    m &= u64::MAX << (end % 64);
                }
                if k == last {
                    m &= u64::MAX >> (63 - (hi - 1) % 64);
                }
                let n = m.count_ones() as usize;
                if n >= words {
                    for _ in 1..words {
                        m &= m - 1;
                    }
                    at = k * 64 + m.trailing_zeros() as usize + 1;
                    break;
                }
                words -= n;
            }
        }
        ceil_boundary(&norm.text, at)
    }
}

/// [`near_word`] of sixteen bytes, as bit `k` for byte `k`.
#[inline]
fn word_byte_bits(block: &[u8; 16]) -> u32 {
    let x = sixteen::Sixteen::load(block);
    // A non-ASCII byte is a word byte: its own high bit says so.
    (x.within(b'0', b'9') | x.within(b'a', b'z') | x.within(b'A', b'Z') | x.eq(b'_')).bits() | x.bits()
}

/// A word byte as proximity stretches count words: loosely, any non-ASCII byte is one.
fn near_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// Bytes a proximity stretch may run beyond the pairing's reach: normalised text can run a little longer than the
/// original (a few characters lower-case to longer forms).
const NEAR_SLACK: usize = 32;

/// Longest anchor of a proximity rule looked back over when pairing (a phrase is at most 400 normalised bytes).
pub const MAX_ANCHOR: usize = 512;

/// How many bytes between two anchors a proximity window of `window` words can span (about 24 bytes a word): pairs
/// further apart are not looked at.
pub fn near_reach(window: u8) -> usize {
    (usize::from(window) + 1) * 24
}

/// The number of words in `text[a..b]`, the gap between the two sides of a proximity rule, or `None` when the gap
/// crosses a sentence or bullet (`.`, `!`, `?` or `;` ending a sentence, a line break, a bullet, a dash between
/// spaces) or holds more than `max_words` words.
pub fn near_gap_words(text: &str, a: usize, b: usize, max_words: usize) -> Option<usize> {
    if b < a || b - a > near_reach(max_words.min(255) as u8) {
        return None;
    }
    let gap = text.get(a..b)?;
    // The character really before the gap, for a full stop glued to the next sentence at its start (`prev` counts
    // the gap's start as a space, for a dash).
    let before_gap = text[..a].chars().next_back().unwrap_or(' ');
    gap_words(gap, before_gap, max_words)
}

/// [`near_gap_words`] of a gap, character by character. The character after each is carried from one step to the
/// next, not decoded again: a proximity pairing counts many gaps.
fn gap_words(gap: &str, before_gap: char, max_words: usize) -> Option<usize> {
    let mut words = 0;
    let mut in_word = false;
    let mut word_len = 0;
    let mut prev = ' ';
    let mut chars = gap.chars();
    let mut next = chars.next();
    let mut first = true;
    while let Some(c) = next {
        next = chars.next();
        let stop = match c {
            // A full stop ends a sentence only before a space or the end, after a word of two letters or more:
            // "node.js", "3.5", "e.g. the" do not. After a space and before a capitalised word it is a sentence
            // end that scraping ran into the next ("development .Own the roadmap"); glued to a word on both sides
            // it is left alone ("Node.Js", "Asp.Net").
            '.' => {
                (next.is_none_or(char::is_whitespace) && word_len != 1)
                    || ((if first { before_gap } else { prev }).is_whitespace()
                        && next.is_some_and(|n| n.is_ascii_uppercase())
                        && chars.clone().next().is_some_and(|n| n.is_ascii_lowercase()))
            }
            '-' | '\u{2013}' | '\u{2014}' => prev.is_whitespace() && next.is_none_or(char::is_whitespace),
            ',' | ':' | '(' | ')' | '/' | '&' | '\'' | '"' => false,
            c => is_clause_break(c),
        };
        if stop {
            return None;
        }
        let w = is_word_char(c);
        word_len = if w { word_len + 1 } else { 0 };
        if w && !in_word {
            words += 1;
            if words > max_words {
                return None;
            }
        }
        in_word = w;
        prev = c;
        first = false;
    }
    Some(words)
}

/// Kinds of section cue found by the scanner, in original-text byte offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SectionCue {
    /// A heading that starts boilerplate ("About us").
    BoilerplateHeading,
    /// A heading that starts job content ("Responsibilities").
    ContentHeading,
    /// A phrase that makes its sentence boilerplate ("equal opportunity employer").
    BoilerplatePhrase,
    /// A phrase that makes its sentence company prose ("our mission", "backed by"), unless a job cue is in it.
    CompanyPhrase,
    /// A word that makes its sentence company prose when it opens the sentence ("We", "Our"), unless a job cue is
    /// in it.
    CompanyStart,
}

impl SectionCue {
    /// Whether the cue marks its sentence (a phrase or a company start), not a section (a heading).
    pub fn marks_a_sentence(self) -> bool {
        !matches!(self, SectionCue::BoilerplateHeading | SectionCue::ContentHeading)
    }
}

/// Longest line (in bytes) that still counts as a heading.
const MAX_HEADING_LINE: usize = 80;
/// Longest boilerplate section (in bytes) opened by a heading that no content heading closes: scraped postings
/// often lose the headings that would end it, and the job itself must not vanish into an "about us".
const MAX_BOILERPLATE_SECTION: usize = 1200;

/// Computes the boilerplate byte ranges of `text` from its section cues (`(kind, start, end)`, ascending by
/// start), appending them to `out` sorted and non-overlapping.
///
/// A heading cue counts only at the start of a line (after bullets or markup) on a short line, or when a colon
/// follows it closely; a boilerplate heading's section runs until the next content heading, and at most
/// `MAX_BOILERPLATE_SECTION` bytes. A boilerplate phrase marks its sentence; a company phrase marks its sentence
/// unless a job cue stands in the same sentence ("Our mission is ..." is the company; "You will shape our mission"
/// is the job): `job_cue(start, end)` says whether the sentence `text[start..end]` speaks of the job.
pub fn boilerplate_ranges(
    text: &str,
    cues: &[(SectionCue, usize, usize)],
    job_cue: impl Fn(usize, usize) -> bool,
    out: &mut Vec<(usize, usize)>,
) {
    let mut stops = Vec::new();
    if cues.iter().any(|c| c.0.marks_a_sentence()) {
        sentence_stops(text, &mut stops);
    }
    boilerplate_ranges_in(text, &stops, cues, job_cue, out);
}

/// [`boilerplate_ranges`] with the text's [`sentence_stops`] already found (`stops`; they may be left empty when
/// no cue marks a sentence).
pub fn boilerplate_ranges_in(
    text: &str,
    stops: &[usize],
    cues: &[(SectionCue, usize, usize)],
    job_cue: impl Fn(usize, usize) -> bool,
    out: &mut Vec<(usize, usize)>,
) {
    // The open section: where it starts, and where it ends at the latest.
    let mut open: Option<(usize, usize)> = None;
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    let mut company: Vec<(usize, usize)> = Vec::new();
    for &(kind, start, end) in cues {
        match kind {
            SectionCue::BoilerplateHeading | SectionCue::ContentHeading => {
                if !is_heading(text, start, end) {
                    continue;
                }
                if let Some((s, until)) = open.filter(|&(_, until)| start > until) {
                    ranges.push((s, until));
                    open = None;
                }
                match (kind, open) {
                    // "Salary: $78,400 a year, plus benefits" on a line of its own: a field, not a section.
                    (SectionCue::BoilerplateHeading, None) if let Some(line_end) = field_line_end(text, end) => {
                        ranges.push((start, line_end));
                    }
                    // A heading run into its text ("BenefitsCompetitive pay.Medical insurance.") in a posting that
                    // keeps some line breaks: scraping flattened that section onto its line, and the next line
                    // starts another (whose heading may be one no list knows: "Technologies & Frameworks:").
                    (SectionCue::BoilerplateHeading, None) => {
                        let limit = start + MAX_BOILERPLATE_SECTION;
                        open = Some((start, run_in_line_end(text, start, end).map_or(limit, |e| e.min(limit))));
                    }
                    (SectionCue::ContentHeading, Some((s, _))) => {
                        ranges.push((s, start));
                        open = None;
                    }
                    _ => {}
                }
            }
            SectionCue::BoilerplatePhrase => ranges.push(sentence_around_in(text, stops, start, end)),
            SectionCue::CompanyPhrase | SectionCue::CompanyStart => {
                // Cues arrive by start: consecutive cues of one sentence are looked at once.
                // (The scanner files a company-start cue only at the first word of its sentence.)
                if company.last().is_none_or(|&(_, e)| start >= e) {
                    company.push(sentence_around_in(text, stops, start, end));
                }
            }
        }
    }
    // A company sentence with a job cue in it is about the job after all.
    ranges.extend(company.into_iter().filter(|&(s, e)| !job_cue(s, e)));
    if let Some((s, until)) = open {
        ranges.push((s, text.len().min(until)));
    }
    ranges.sort_unstable();
    for (s, e) in ranges {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
}

/// Where the line of a heading cue at `start..end` ends, when scraping joined the cue to its text by a lost line
/// break ("BenefitsCompetitive pay") and a line break follows within a section's length. (A heading in capitals
/// with its text after it, "TO APPLY: Send ...", is written that way and may head the lines below it too.)
fn run_in_line_end(text: &str, start: usize, end: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    if !joined_heading(bytes, start, end) {
        return None;
    }
    let ahead = (end + MAX_BOILERPLATE_SECTION).min(bytes.len());
    Some(end + bytes[end..ahead].iter().position(|&b| b == b'\n')?)
}

/// Where the line of a heading cue ending at `end` ends, when the cue is a field's name: a colon follows it, then
/// words, then a line break within a heading line's length ("Salary: $78,400 a year" / "Benefits: health and
/// dental"). `None` for a heading over its own section (nothing after the colon on its line) and for a text with
/// no line break nearby (scraped postings flattened onto one line: a section runs to the next heading there).
fn field_line_end(text: &str, end: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let ahead = (end + 3 * MAX_HEADING_LINE).min(bytes.len());
    let line_end = end + bytes[end..ahead].iter().position(|&b| b == b'\n')?;
    let rest = text.get(end..line_end)?;
    let after_colon = rest.split_once(':')?.1;
    after_colon.chars().any(is_word_char).then_some(line_end)
}

/// Whether the gap between two role phrases only joins them: a `/`, `&`, `+`, `|` or spaced dash with nothing
/// else but spaces and punctuation, or one of the language's joiner words ("and").
pub(crate) fn only_joined(gap: &str, joiners: &[String]) -> bool {
    let words = gap.trim_matches(|c: char| !is_word_char(c));
    if words.is_empty() {
        // "Delivery Manager - Scrum Master": a spaced dash between two whole role phrases joins them too.
        let spaced_dash = [" - ", " \u{2013} ", " \u{2014} "].iter().any(|d| gap.contains(d));
        return gap.contains(['/', '&', '+', '|']) || spaced_dash;
    }
    let n = Normalized::new(words);
    joiners.contains(&n.text)
}

/// Whether the gap between two role names only lists them: [`only_joined`], or a comma with nothing else but spaces
/// and punctuation ("your team lead, project manager, product owner").
pub(crate) fn only_listed(gap: &str, joiners: &[String]) -> bool {
    (gap.contains(',') && gap.chars().all(|c| !is_word_char(c))) || only_joined(gap, joiners)
}

fn is_heading(text: &str, start: usize, end: usize) -> bool {
    // Look no further than a heading line can be long: a text without line breaks must not make every cue scan
    // back to its start (quadratic on a 50 MB one-line posting).
    let bytes = text.as_bytes();
    // Cheapest test first: most cues stand mid-sentence, with a word before them on their line.
    let own_line = || {
        let back = start.saturating_sub(MAX_HEADING_LINE + 1);
        let line_start = bytes[back..start].iter().rposition(|&b| b == b'\n').map_or(back, |i| back + i + 1);
        if !text.get(line_start..start).is_some_and(|lead| lead.chars().all(|c| !is_word_char(c))) {
            return false;
        }
        let ahead = (end + MAX_HEADING_LINE + 1).min(text.len());
        let line_end = bytes[end..ahead].iter().position(|&b| b == b'\n').map_or(ahead, |i| end + i);
        let long = line_start == back && back > 0 || line_end == ahead && ahead < text.len();
        !long && line_end - line_start <= MAX_HEADING_LINE
    };
    let colon =
        || text.get(end..).is_some_and(|rest| rest.chars().take(24).take_while(|&c| c != '\n').any(|c| c == ':'));
    own_line()
        || (left_boundary(text, start)
            && (colon() || inline_capitals(text, start, end) || joined_heading(bytes, start, end)))
}

/// A capitalised cue at `start..end` run into its text by a lost line break ("marketing.Your tasksYou develop
/// ..."), as scraped postings flatten a heading line.
fn joined_heading(bytes: &[u8], start: usize, end: usize) -> bool {
    bytes[start].is_ascii_uppercase() && end >= 2 && lost_line_break(bytes, end - 1)
}

/// A heading run into its text, as scraped postings flatten them: the cue in capitals ("ABOUT US At Acme, we"),
/// perhaps with a few more capitalised words ("ABOUT ACME"), and then a word in lower case. A text written all
/// in capitals has no such headings.
fn inline_capitals(text: &str, start: usize, end: usize) -> bool {
    let caps = |w: &str| w.chars().any(char::is_alphabetic) && !w.chars().any(char::is_lowercase);
    if !caps(&text[start..end]) {
        return false;
    }
    let rest = &text[end..ceil_boundary(text, (end + MAX_HEADING_LINE).min(text.len()))];
    for word in rest.split_whitespace().take(6) {
        if word.chars().any(char::is_lowercase) {
            return true;
        }
        if !caps(word) && word.chars().any(char::is_alphanumeric) {
            return false;
        }
    }
    false
}

/// The longest stretch searched on each side of a boilerplate phrase for its sentence's ends: scraped ads run whole
/// lists together without a full stop, and a cue must not blank out the requirements before it.
const MAX_SENTENCE: usize = 250;

/// The sentence around `text[start..end]`: at most `MAX_SENTENCE` bytes each way, ended by `.`, `!`, `?`, a line
/// break or a bullet run into the text.
pub fn sentence_around(text: &str, start: usize, end: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let back = floor_boundary(text, start.saturating_sub(MAX_SENTENCE));
    let ahead = ceil_boundary(text, (end + MAX_SENTENCE).min(text.len()));
    let s = (back..start).rev().find(|&i| sentence_stop(bytes, i)).map_or(back, |i| i + 1);
    let e = (end..ahead).find(|&i| sentence_stop(bytes, i)).map_or(ahead, |i| i + 1);
    (s, e)
}

/// Whether byte `i` ends a sentence. A sentence ends at . ! ? or a line break, and at a bullet run into the text
/// (" - ", " • ", " – "): scraped ads flatten their lists, and one company sentence must not swallow the duty
/// bullets after it.
#[inline]
fn sentence_stop(bytes: &[u8], i: usize) -> bool {
    match bytes[i] {
        b'.' | b'!' | b'?' | b'\n' => true,
        // A line break lost by scraping: a lower-case word run into a capitalised one ("is preferredGood
        // knowledge", "a plusSalary & Benefits"). The sentence ends at the last lower-case letter.
        b'a'..=b'z' => lost_line_break(bytes, i),
        b'-' | b'*' => i > 0 && bytes[i - 1] == b' ' && bytes.get(i + 1) == Some(&b' '),
        // The last byte of "–" (E2 80 93), "—" (E2 80 94) or "•" (E2 80 A2) between spaces.
        0x93 | 0x94 | 0xA2 => {
            i >= 3
                && bytes[i - 2] == 0xE2
                && bytes[i - 1] == 0x80
                && bytes[i - 3] == b' '
                && bytes.get(i + 1) == Some(&b' ')
        }
        _ => false,
    }
}

/// Whether byte `i` ends a lower-case word (two ASCII letters at least) that a capitalised word follows without a
/// space: the trace of a line break that scraping removed. Product names written in camel case ("JavaScript") end
/// a sentence there too, which only shortens the sentence a boilerplate cue blanks out.
#[inline]
fn lost_line_break(bytes: &[u8], i: usize) -> bool {
    i > 0
        && bytes[i].is_ascii_lowercase()
        && bytes[i - 1].is_ascii_lowercase()
        && bytes.get(i + 1).is_some_and(u8::is_ascii_uppercase)
        && bytes.get(i + 2).is_some_and(u8::is_ascii_lowercase)
}

/// Every byte of `text` that ends a sentence (see [`sentence_around`]), ascending, into `out`: read once, so that
/// the sentences around many places cost a binary search each ([`sentence_around_in`]).
pub fn sentence_stops(text: &str, out: &mut Vec<usize>) {
    out.clear();
    let bytes = text.as_bytes();
    // Sixteen bytes at a time, and the sixteen after each byte with them: the bytes a stop can be are few (. ! ?
    // a line break, - and * between spaces, the last byte of a three-byte dash or bullet, and a lower-case letter
    // before a capital), and only those get the full test.
    let mut at = 0;
    while let (Some(x), Some(next)) = (sixteen::at(bytes, at), sixteen::at(bytes, at + 1)) {
        let lost_break = x.within(b'a', b'z') & next.within(b'A', b'Z');
        let marks = x.eq(b'.') | x.eq(b'!') | x.eq(b'?') | x.eq(b'\n') | x.eq(b'-') | x.eq(b'*');
        let mut may = (marks | x.eq(0x93) | x.eq(0x94) | x.eq(0xA2) | lost_break).bits();
        while may != 0 {
            let i = at + may.trailing_zeros() as usize;
            may &= may - 1;
            if sentence_stop(bytes, i) {
                out.push(i);
            }
        }
        at += 16;
    }
    out.extend((at..bytes.len()).filter(|&i| sentence_stop(bytes, i)));
}

/// [`sentence_around`] from the text's [`sentence_stops`]: the same sentence.
pub fn sentence_around_in(text: &str, stops: &[usize], start: usize, end: usize) -> (usize, usize) {
    let back = floor_boundary(text, start.saturating_sub(MAX_SENTENCE));
    let ahead = ceil_boundary(text, (end + MAX_SENTENCE).min(text.len()));
    let k = stops.partition_point(|&i| i < start);
    let s = match k.checked_sub(1).map(|k| stops[k]) {
        Some(i) if i >= back => i + 1,
        _ => back,
    };
    let k = stops.partition_point(|&i| i < end);
    let e = match stops.get(k).copied() {
        Some(i) if i < ahead => i + 1,
        _ => ahead,
    };
    (s, e)
}

pub(crate) fn floor_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The first character boundary at or after `i`; the text's length for any `i` past its end.
pub(crate) fn ceil_boundary(text: &str, mut i: usize) -> usize {
    // Past the end is the end (`is_char_boundary` is false there, so the loop would never stop).
    if i >= text.len() {
        return text.len();
    }
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_changes_in_a_plain_run_are_hidden_word_starts_at_any_offset() {
        // Case changes before, across and after each sixteen-byte step (the text shifted by 0 to 16 bytes), and
        // ones that are not a start.
        let unit = "teamLead xY aaaaaaaB ABc CamelCaseWordsHereX 9A";
        let mut out = Vec::new();
        for shift in 0..=16 {
            let run = format!("{}{unit}", "a".repeat(shift));
            let run = run.as_bytes();
            out.clear();
            assert_eq!(plain_run(run, 0, 100, &mut out), run.len());
            let want: Vec<u32> = (1..run.len())
                .filter(|&k| run[k - 1].is_ascii_lowercase() && run[k].is_ascii_uppercase())
                .map(|k| 100 + k as u32)
                .collect();
            assert_eq!(out, want, "{shift}");
            if shift == 0 {
                assert_eq!(&out[..3], [104, 110, 119]);
            }
        }
        // Only the run's own: none after the byte that ends it, or at its first byte.
        for text in ["aB-cD", "aB  cD", "xaaaaaaaaaaaaaaaaaaaB\ncD", "Ab"] {
            out.clear();
            let end = plain_run(text.as_bytes(), 0, 0, &mut out);
            let want: Vec<u32> = (1..end)
                .filter(|&k| text.as_bytes()[k - 1].is_ascii_lowercase() && text.as_bytes()[k].is_ascii_uppercase())
                .map(|k| k as u32)
                .collect();
            assert_eq!(out, want, "{text:?}");
        }
        out.clear();
        plain_run(b"aB-cD", 0, 0, &mut out);
        assert_eq!(out, [1]);
    }

    #[test]
    fn hidden_starts_are_where_two_word_bytes_meet_but_the_original_may_start_a_word() {
        for (text, want) in [
            ("team lead", vec![]),
            ("teamLead and productOwner", vec![4u32, 20]),
            ("team&#76;ead", vec![4, 5]),
            ("team\u{200B}lead", vec![4]),
            ("co-\u{200B}lead", vec![]),
            ("a\u{212A}b", vec![1, 2]),
        ] {
            let norm = Normalized::new(text);
            assert_eq!(norm.hidden_starts(), want, "{text:?} -> {:?}", norm.text);
            // Each one stands between two word bytes of the normalised text.
            let b = norm.text.as_bytes();
            assert!(norm
                .hidden_starts()
                .iter()
                .all(|&h| b[h as usize - 1].is_ascii_alphanumeric() && b[h as usize].is_ascii_alphanumeric()));
        }
    }

    #[test]
    fn normalized_offsets_invert_the_map() {
        let text = "Own  the <b>Backlog</b> &amp; more";
        let n = Normalized::new(text);
        assert_eq!(n.text, "own the backlog & more");
        for word in ["Own", "the", "Backlog", "more"] {
            let o = text.find(word).unwrap();
            let k = n.normalized_offset(o);
            assert_eq!(&n.text[k..k + word.len()], word.to_lowercase(), "{word}");
            assert_eq!(n.original_span(k, k + word.len()), (o, o + word.len()));
        }
        // Inside collapsed whitespace: the space it became; past the end: the end.
        assert_eq!(n.normalized_offset(4), 3);
        assert_eq!(n.normalized_offset(text.len()), n.text.len());
    }

    #[test]
    fn ceil_boundary_stops_at_the_end() {
        let t = "aé";
        assert_eq!(ceil_boundary(t, 2), 3, "inside é: the next boundary");
        assert_eq!(ceil_boundary(t, 1), 1);
        assert_eq!(ceil_boundary(t, 3), 3);
        assert_eq!(ceil_boundary(t, 99), 3, "past the end: the end, not an endless loop");
        assert_eq!(ceil_boundary("", 5), 0);
    }

    fn spans_of(n: &Normalized, input: &str, needle: &str) -> String {
        let s = n.text.find(needle).expect("needle in normalised text");
        let (a, b) = n.original_span(s, s + needle.len());
        input[a..b].to_string()
    }

    #[test]
    fn plain_runs_end_at_a_stop_byte_or_a_second_space() {
        // Against the rule spelt out byte by byte, on every string over a small alphabet of up to 7 varied bytes,
        // padded to lengths where stops fall at every place of the sixteen-byte blocks and of the tail.
        let reference = |b: &[u8], from: usize| {
            let mut run = from;
            let mut prev_space = false;
            while run < b.len() {
                let c = b[run];
                let stop = !c.is_ascii() || matches!(c, b'\t' | b'\n' | b'\r' | b'-' | 0x0b | 0x0c | b'<' | b'&');
                if stop || (c == b' ' && prev_space) {
                    break;
                }
                prev_space = c == b' ';
                run += 1;
            }
            run
        };
        let alphabet = [b'a', b' ', b'-', b'\n', 0xC3];
        let end = |s: &[u8]| plain_run(s, 0, 0, &mut Vec::new());
        for len in (1..=11usize).chain(14..=19).chain(29..=34) {
            let varied = len.min(7);
            for n in 0..alphabet.len().pow(varied as u32) {
                let mut part = Vec::new();
                let mut m = n;
                for _ in 0..varied {
                    part.push(alphabet[m % alphabet.len()]);
                    m /= alphabet.len();
                }
                // The varied bytes first, then last, padded with plain ones.
                let pad = vec![b'a'; len - varied];
                for s in [[&b"x"[..], &part, &pad].concat(), [&b"x"[..], &pad, &part].concat()] {
                    assert_eq!(end(&s), reference(&s, 1), "{s:?}");
                }
            }
        }
        // Every byte value, at every place of the first two sixteen-byte steps and the tail.
        for b in 0..=255u8 {
            for at in 1..40 {
                let mut s = vec![b'a'; 41];
                s[at] = b;
                assert_eq!(end(&s), reference(&s, 1), "byte {b:#04x} at {at}");
                s[at - 1] = b' ';
                assert_eq!(end(&s), reference(&s, 1), "space, byte {b:#04x} at {at}");
            }
        }
        assert_eq!(end(b"xa b  c"), 5, "the second space stops the run");
        assert_eq!(end(b"xabcdefghijklmnop"), 17);
    }

    #[test]
    fn text_past_the_cap_is_not_read_and_spans_stay_inside() {
        let input = "Own the backlog. ÉÉÉ roadmap";
        let mut n = Normalized::default();
        // A cap inside "É" (bytes 17..19) falls back to the character boundary before it.
        n.build_capped(input, 18);
        assert_eq!(n.text, "own the backlog. ");
        assert_eq!(n.original_span(0, n.text.len()), (0, 17));
        n.build_capped(input, usize::MAX);
        assert_eq!(n.text, "own the backlog. ééé roadmap");
    }

    #[test]
    fn ascii_boundaries_agree_with_the_character_rule() {
        for p in 0u8..128 {
            for n in 0u8..128 {
                let t = String::from_utf8(vec![p, n]).unwrap();
                let (prev, next) = (p as char, n as char);
                let slow = !is_word_char(prev) || !is_word_char(next) || (prev.is_lowercase() && next.is_uppercase());
                assert_eq!(left_boundary(&t, 1), slow, "{t:?}");
                assert_eq!(right_boundary(&t, 1), slow, "{t:?}");
            }
        }
        assert!(left_boundary("ab", 0) && right_boundary("ab", 2));
        assert!(!left_boundary("éa", 2) && left_boundary("a漢", 1), "non-ASCII neighbours take the full rule");
    }

    #[test]
    fn every_normalised_char_maps_forward_onto_original_chars() {
        let input = "A  b\t-\n<i>C</i>&amp;d\u{200B}e İx ẞy K\u{212A} ’q’ émoji😀 x&bogus; <unclosed tail  ";
        let n = Normalized::new(input);
        let mut last = (0, 0);
        for (i, c) in n.text.char_indices() {
            let (a, b) = n.original_span(i, i + c.len_utf8());
            assert!(a < b && input.is_char_boundary(a) && input.is_char_boundary(b), "{c:?} -> {a}..{b}");
            assert!(a >= last.0 && b >= last.1, "{c:?} -> {a}..{b} after {last:?}");
            if c.is_alphanumeric() && !matches!(c, 'i' | '\u{307}' | 'ß' | 'k') {
                let orig: String = input[a..b].chars().flat_map(char::to_lowercase).collect();
                assert_eq!(orig, c.to_string(), "at {i}");
            }
            last = (a, b);
        }
        assert_eq!(n.original_span(0, n.text.len()), (0, input.len()));
        // The cursor version agrees with the search, in the automaton's order and out of it.
        let mut cursor = 0;
        let spans: Vec<(usize, usize)> =
            (1..=n.text.len()).flat_map(|e| (e.saturating_sub(6)..e).map(move |s| (s, e))).collect();
        for &(s, e) in spans.iter().chain(spans.iter().rev()) {
            assert_eq!(n.original_span_near(s, e, &mut cursor), n.original_span(s, e), "{s}..{e}");
        }
    }

    #[test]
    fn collapses_space_hyphens_and_case() {
        let input = "Cross-\n  Functional   TEAMS";
        let n = Normalized::new(input);
        assert_eq!(n.text, "cross functional teams");
        assert_eq!(spans_of(&n, input, "cross functional"), "Cross-\n  Functional");
    }

    #[test]
    fn strips_tags_and_decodes_entities_keeping_original_spans() {
        let input = "<li>Sales &amp; <b>Marketing</b></li> R&amp;D&nbsp;team";
        let n = Normalized::new(input);
        assert_eq!(n.text, " sales & marketing r&d team");
        assert_eq!(spans_of(&n, input, "sales & marketing"), "Sales &amp; <b>Marketing");
        assert_eq!(spans_of(&n, input, "r&d team"), "R&amp;D&nbsp;team");
    }

    #[test]
    fn unicode_lowercase_and_multibyte_mapping() {
        let input = "Übernahme der PRODUKTVERANTWORTUNG – İstanbul";
        let n = Normalized::new(input);
        assert!(n.text.starts_with("übernahme der produktverantwortung "), "{}", n.text);
        assert_eq!(spans_of(&n, input, "produktverantwortung"), "PRODUKTVERANTWORTUNG");
        // 'İ' lower-cases to two chars; both map back to the one original char
        let s = n.text.find("stanbul").unwrap();
        let (a, _) = n.original_span(s - 3, s);
        assert_eq!(&input[a..a + 2], "İ");
    }

    #[test]
    fn zero_width_and_quotes() {
        let input = "prod\u{200B}uct owner’s";
        let n = Normalized::new(input);
        assert_eq!(n.text, "product owner's");
        assert_eq!(spans_of(&n, input, "product owner"), "prod\u{200B}uct owner");
    }

    #[test]
    fn phrase_fast_path_agrees_with_the_full_normaliser() {
        for p in ["product backlog", " c# and .net ", "Cross-Team", "a  b", "r&amp;d", "ci/cd", "über\tuns", "x<b>y"] {
            assert_eq!(normalize_phrase(p), Normalized::new(p).text.trim(), "{p:?}");
        }
    }

    #[test]
    fn lone_angle_and_ampersand_are_text() {
        let n = Normalized::new("a < b & c <3 &bogus; x");
        assert_eq!(n.text, "a < b & c <3 &bogus; x");
    }

    #[test]
    fn boundaries_are_unicode_aware() {
        let t = "Führung und Teamleitung";
        assert!(!left_boundary(t, t.find("rung").unwrap()));
        assert!(right_boundary(t, t.find(" und").unwrap()));
        let t = "Éleader";
        assert!(!left_boundary(t, t.find("leader").unwrap()), "É is a letter: no boundary");
        let t = "プロダクトオーナーを募集";
        let s = t.find("オーナー").unwrap();
        assert!(left_boundary(t, s) && right_boundary(t, s + "オーナー".len()));
        let t = "Job RequirementsMust have";
        assert!(right_boundary(t, t.find("Must").unwrap()));
    }

    #[test]
    fn boilerplate_sections_from_headings_and_phrases() {
        let text = "Responsibilities\n- own the roadmap\nAbout us\nWe build APIs.\nRequirements\n- SQL\nWe are an equal opportunity employer. Apply now";
        let cue = |k, s: &str| {
            let i = text.find(s).unwrap();
            (k, i, i + s.len())
        };
        let cues = vec![
            cue(SectionCue::ContentHeading, "Responsibilities"),
            cue(SectionCue::BoilerplateHeading, "About us"),
            cue(SectionCue::ContentHeading, "Requirements"),
            cue(SectionCue::BoilerplatePhrase, "equal opportunity employer"),
        ];
        let mut out = Vec::new();
        boilerplate_ranges(text, &cues, |_, _| false, &mut out);
        assert_eq!(out.len(), 2);
        assert_eq!(&text[out[0].0..out[0].1], "About us\nWe build APIs.\n");
        assert_eq!(&text[out[1].0..out[1].1], "We are an equal opportunity employer.");
    }

    #[test]
    fn only_listed_takes_a_comma_as_well() {
        let and = ["and".to_string()];
        assert!(only_listed(", ", &and));
        assert!(only_listed(", and ", &and));
        assert!(only_listed(" / ", &and));
        assert!(!only_listed(" ", &and));
        assert!(!only_listed(", our ", &and));
        assert!(!only_listed(". ", &and));
    }

    #[test]
    fn only_joined_needs_a_joiner_and_no_other_words() {
        let and = ["and".to_string()];
        assert!(only_joined(" / ", &and));
        assert!(only_joined(" & ", &and));
        assert!(!only_joined(" ", &and));
        assert!(only_joined(" - ", &and));
        assert!(!only_joined("-", &and));
        assert!(!only_joined(", ", &and));
        assert!(!only_joined(" for ", &and));
        assert!(only_joined(" AND ", &and));
    }

    #[test]
    fn a_field_line_is_boilerplate_alone_and_a_heading_opens_a_section() {
        let ranges = |text: &str, cue: &str| {
            let i = text.find(cue).unwrap();
            let mut out = Vec::new();
            boilerplate_ranges(text, &[(SectionCue::BoilerplateHeading, i, i + cue.len())], |_, _| false, &mut out);
            out.iter().map(|&(s, e)| text[s..e].to_string()).collect::<Vec<_>>()
        };
        // A field: the line only, so the job described under it still counts.
        let text = "Salary: $78,400 a year plus benefits\n\nYou will own the backlog and the roadmap.";
        assert_eq!(ranges(text, "Salary"), vec!["Salary: $78,400 a year plus benefits"]);
        // A heading over its own section, with or without a colon.
        let text = "Benefits:\n- health cover\n- a pension\n";
        assert_eq!(ranges(text, "Benefits"), vec![text]);
        // Flattened onto one line (no line break near): the section as before, bounded.
        let text = format!("Benefits: health cover and a pension {}", "and more ".repeat(200));
        assert_eq!(ranges(&text, "Benefits")[0].len(), MAX_BOILERPLATE_SECTION);
    }

    #[test]
    fn a_boilerplate_sentence_ends_at_a_bullet_run_into_the_text() {
        let text = "Ship faster as our platform grows - Map cross-team dependencies \u{2022} Track risks. Next";
        let at = text.find("our platform").unwrap();
        let (s, e) = sentence_around(text, at, at + 12);
        assert_eq!(&text[s..e], "Ship faster as our platform grows -");
        let at = text.find("Map").unwrap();
        let (s, e) = sentence_around(text, at, at + 3);
        assert_eq!(&text[s..e], " Map cross-team dependencies \u{2022}", "a hyphen inside a word is no bullet");
        let at = text.find("Track").unwrap();
        assert_eq!(&text[sentence_around(text, at, at + 5).0..], " Track risks. Next");
    }

    #[test]
    fn a_line_break_lost_by_scraping_ends_a_sentence() {
        let text = "PMP certification is preferredGood knowledge of FIDIC contracts is a plusSalary & Benefits";
        let at = text.find("PMP").unwrap();
        assert_eq!(&text[..sentence_around(text, at, at + 3).1], "PMP certification is preferred");
        let at = text.find("Salary").unwrap();
        assert_eq!(&text[sentence_around(text, at, at + 6).0..], "Salary & Benefits");
        // Not a lost break: capitals after one letter, or two capitals in a row.
        let text = "Use an iPhone with MySQL daily";
        assert_eq!(sentence_around(text, 8, 14), (0, text.len()));
    }

    /// [`gap_words`] as first written: each character's next one (and the one after) decoded again at each step.
    fn reference_gap_words(gap: &str, before_gap: char, max_words: usize) -> Option<usize> {
        let mut words = 0;
        let mut in_word = false;
        let mut word_len = 0;
        let mut prev = ' ';
        for (i, c) in gap.char_indices() {
            let rest = &gap[i + c.len_utf8()..];
            let next = rest.chars().next();
            let stop = match c {
                // A full stop ends a sentence only before a space or the end, after a word of two letters or more:
                // "node.js", "3.5", "e.g. the" do not. After a space and before a capitalised word it is a sentence
                // end that scraping ran into the next ("development .Own the roadmap"); glued to a word on both sides
                // it is left alone ("Node.Js", "Asp.Net").
                '.' => {
                    (next.is_none_or(char::is_whitespace) && word_len != 1)
                        || ((if i == 0 { before_gap } else { prev }).is_whitespace()
                            && next.is_some_and(|n| n.is_ascii_uppercase())
                            && rest.chars().nth(1).is_some_and(|n| n.is_ascii_lowercase()))
                }
                '-' | '\u{2013}' | '\u{2014}' => prev.is_whitespace() && next.is_none_or(char::is_whitespace),
                ',' | ':' | '(' | ')' | '/' | '&' | '\'' | '"' => false,
                c => is_clause_break(c),
            };
            if stop {
                return None;
            }
            let w = is_word_char(c);
            word_len = if w { word_len + 1 } else { 0 };
            if w && !in_word {
                words += 1;
                if words > max_words {
                    return None;
                }
            }
            in_word = w;
            prev = c;
        }
        Some(words)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(500))]

        /// A gap read with the next character carried along counts the words, and finds the sentence ends, that
        /// the reading decoding it again at each step does: on any gap of the characters its tests look at, after
        /// any character.
        #[test]
        fn gaps_count_as_the_character_reading_does(
            gap in proptest::collection::vec(
                proptest::sample::select(vec![
                    'a', 'Z', '9', '_', ' ', '.', '-', ',', ':', '(', ')', '/', '&', '\'', '"', ';', '!', '?', '\n',
                    '\t', '\x0b', '\u{a0}', '\u{2013}', '\u{2014}', '\u{2022}', 'é',
                ]),
                0..40,
            ),
            before in proptest::sample::select(vec![' ', 'a', '.', '\n', '\u{a0}', '\u{2003}', 'é']),
            max_words in 0usize..8,
        ) {
            let gap: String = gap.into_iter().collect();
            proptest::prop_assert_eq!(
                gap_words(&gap, before, max_words),
                reference_gap_words(&gap, before, max_words),
                "{:?} after {:?}", gap, before
            );
        }

        /// Any text of the bytes a stop's test reads (stops, spaces, dashes and bullets, letters in either case,
        /// the other bytes of the three-byte dashes): the stops read sixteen bytes at a time are those
        /// [`sentence_stop`] finds byte by byte.
        #[test]
        fn the_stops_are_those_found_byte_by_byte(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    ".", "!", "?", "\n", " ", "-", "*", "a", "b", "Z", "Q", "1", ",", "\u{2013}", "\u{2014}",
                    "\u{2022}", "\u{2080}", "é", "ab", "aB", " - ", " \u{2014} ",
                ]),
                0..60,
            ),
        ) {
            let text: String = pieces.concat();
            let mut stops = Vec::new();
            sentence_stops(&text, &mut stops);
            let every: Vec<usize> = (0..text.len()).filter(|&i| sentence_stop(text.as_bytes(), i)).collect();
            proptest::prop_assert_eq!(stops, every);
        }
    }

    #[test]
    fn sentences_from_the_stops_agree_with_the_scan() {
        let unit = "Ship it. Own - the roadmap \u{2022} now! x\ny * z \u{2013} é? ";
        let texts = [
            unit.to_string(),
            unit.repeat(12),
            "no stop at all here ".repeat(30),
            String::new(),
            "-".into(),
            "a.b!c?d\ne - f * g \u{2014} h \u{2022} i\t\u{2013}j .".repeat(5),
            // Lost line breaks at every offset of the sixteen-byte blocks, and near misses (one lower-case letter, a
            // capital after a stop, two capitals, a capital at the very start or end).
            "preferredGood plusSalary x.Ab iPhone aBc MySQL endZ".repeat(9),
            "Ab".into(),
            "abC".into(),
            // A lost line break at the end of the last block, whose capital opens the tail, and one just before.
            format!("{}Za", "a".repeat(63)),
            format!("{}Za", "a".repeat(64)),
        ];
        let mut stops = Vec::new();
        for text in &texts {
            sentence_stops(text, &mut stops);
            let every: Vec<usize> = (0..text.len()).filter(|&i| sentence_stop(text.as_bytes(), i)).collect();
            assert_eq!(stops, every, "{text:?}");
            let places: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
            for (a, &start) in places.iter().enumerate() {
                for &end in places[a..].iter().take(5) {
                    assert_eq!(
                        sentence_around_in(text, &stops, start, end),
                        sentence_around(text, start, end),
                        "{start}..{end} of {text:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn unclosed_boilerplate_section_is_bounded() {
        let text = format!("Benefits:\n{}\nYou will own the roadmap.", "free fruit. ".repeat(200));
        let mut out = Vec::new();
        boilerplate_ranges(&text, &[(SectionCue::BoilerplateHeading, 0, 8)], |_, _| false, &mut out);
        assert_eq!(out, vec![(0, MAX_BOILERPLATE_SECTION)]);
        assert!(text.len() > MAX_BOILERPLATE_SECTION);
    }

    #[test]
    fn headings_in_capitals_run_into_the_text() {
        let t = "ABOUT US At Acme we build things. WHAT YOU'LL DO Own the roadmap. ALL CAPS ABOUT US TEXT GOES ON";
        let at = |cue: &str, nth: usize| t.match_indices(cue).nth(nth).unwrap().0;
        assert!(is_heading(t, 0, 8), "capital cue, then a lower-case word");
        let what = at("WHAT YOU'LL DO", 0);
        assert!(is_heading(t, what, what + 14));
        let late = at("ABOUT US", 1);
        assert!(!is_heading(t, late, late + 8), "in a run of capitals, a cue is no heading");
        let lower = "we care about us and you";
        assert!(!is_heading(lower, 8, 16), "lower case mid-sentence");
        let acme = "ABOUT ACME Our mission is";
        assert!(is_heading(acme, 0, 5), "a heading of a cue and a capitalised name");
    }

    #[test]
    fn headings_run_in_by_a_lost_line_break() {
        let t = "We cook for Berlin.Your tasksYou develop the shop. Finish your tasksEvery day counts.";
        let first = t.find("Your tasks").unwrap();
        assert!(is_heading(t, first, first + 10), "a capitalised cue joined to the next line's first word");
        let mid = t.find("your tasks").unwrap();
        assert!(!is_heading(t, mid, mid + 10), "a cue in lower case mid-sentence stays prose");
        let spaced = "At Acme. Your tasks you will do every day in our kitchen.";
        let at = spaced.find("Your tasks").unwrap();
        assert!(!is_heading(spaced, at, at + 10), "no join after it: no run-in heading");
    }

    #[test]
    fn a_run_in_section_ends_with_its_line() {
        let text =
            "Ship the API.BenefitsCompetitive pay.Medical insurance.\nTechnologies & Frameworks:\nPHP and MySQL.";
        let b = text.find("Benefits").unwrap();
        let mut out = Vec::new();
        boilerplate_ranges(text, &[(SectionCue::BoilerplateHeading, b, b + 8)], |_, _| false, &mut out);
        assert_eq!(out, vec![(b, text.find('\n').unwrap())], "the next line is another section");
        // A content heading on the same line ends it first.
        let text = "Company DescriptionAcme sells lamps. Role DescriptionThis role builds our shop.\nMore.";
        let (c, r) = (text.find("Company").unwrap(), text.find("Role Description").unwrap());
        out.clear();
        let cues = [(SectionCue::BoilerplateHeading, c, c + 19), (SectionCue::ContentHeading, r, r + 16)];
        boilerplate_ranges(text, &cues, |_, _| false, &mut out);
        assert_eq!(out, vec![(c, r)]);
        // Without the join, a heading over a flattened section runs on past the line break.
        let text = "About us\nAcme sells lamps.\nWe love light.";
        out.clear();
        boilerplate_ranges(text, &[(SectionCue::BoilerplateHeading, 0, 8)], |_, _| false, &mut out);
        assert_eq!(out, vec![(0, text.len())]);
    }

    #[test]
    fn heading_cue_mid_sentence_is_not_a_heading() {
        let text = "You will tell customers about us and our product roadmap in many meetings every week of the year.";
        let i = text.find("about us").unwrap();
        let mut out = Vec::new();
        boilerplate_ranges(text, &[(SectionCue::BoilerplateHeading, i, i + 8)], |_, _| false, &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn a_near_stretch_holds_the_window_and_a_whole_partner_on_each_side() {
        let text = "minus zero one two three ANCHOR four five six seven eight";
        let n = Normalized::new(text);
        let (s, e) = (text.find("ANCHOR").unwrap(), text.find("ANCHOR").unwrap() + 6);
        // Two words of window and partners of up to one word: four words each way (the window, the partner, and
        // one for a word the anchor cuts).
        let (a, b) = n.near_stretch(s, e, 2, 1, 8);
        assert_eq!(&n.text[a..b], "zero one two three anchor four five six seven");
        // The pairing's reach bounds it too.
        let (a, b) = n.near_stretch(s, e, 12, 3, 8);
        assert_eq!((a, b), (0, text.len()));
        let long = format!("{} ANCHOR", "word ".repeat(200));
        let n = Normalized::new(&long);
        let at = n.text.find("anchor").unwrap();
        let (a, b) = n.near_stretch(at, at + 6, 12, 3, 8);
        assert!(at - a <= near_reach(12) + 8 + NEAR_SLACK && b == n.text.len());
    }

    #[test]
    fn word_byte_bits_agree_with_the_byte_rule() {
        for b in 0..=255u8 {
            for at in 0..16 {
                for fill in [b' ', b'a', 0xC3] {
                    let mut block = [fill; 16];
                    block[at] = b;
                    let want = block.iter().enumerate().fold(0, |m, (i, &c)| m | (u32::from(near_word(c)) << i));
                    assert_eq!(word_byte_bits(&block), want, "{block:?}");
                }
            }
        }
    }

    #[test]
    fn word_bits_give_the_same_stretches() {
        let unit = "Own the product backlog, é and 漢字 x_y 42 -- the end. ";
        let texts = [
            unit.to_string(),
            unit.repeat(9),
            "a".repeat(200),
            " ".repeat(130),
            "ab ".repeat(70),
            String::new(),
            "x".into(),
        ];
        let mut bits = WordBits::default();
        for text in &texts {
            let n = Normalized::new(text);
            bits.build(&n.text);
            for at in 0..=n.text.len() {
                for (window, words, len) in [(0, 0, 0), (1, 1, 8), (5, 3, 40), (12, 3, 8), (255, 9, 400)] {
                    assert_eq!(
                        bits.near_stretch_start(&n, at, window, words, len),
                        n.near_stretch_start(at, window, words, len),
                        "start {at} {window} of {text:?}"
                    );
                    assert_eq!(
                        bits.near_stretch_end(&n, at, window, words, len),
                        n.near_stretch_end(at, window, words, len),
                        "end {at} {window} of {text:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn near_gaps_count_words_and_stop_at_sentences() {
        let t = "own and order the backlog. Backlog";
        assert_eq!(near_gap_words(t, 3, 18, 5), Some(3), "\"and order the\"");
        assert_eq!(near_gap_words(t, 3, 18, 2), None, "more words than the window");
        assert_eq!(near_gap_words(t, 18, 27, 5), None, "a full stop and a space end the sentence");
        assert_eq!(near_gap_words("own e.g. the", 3, 9, 5), Some(2), "an abbreviation's dots are not a sentence end");
        assert_eq!(near_gap_words("own - backlog", 3, 6, 5), None, "a spaced dash is a bullet");
        assert_eq!(near_gap_words("own\nbacklog", 3, 4, 5), None);
        assert_eq!(near_gap_words("own, define and drive", 3, 16, 5), Some(2), "commas stay inside the sentence");
        assert_eq!(near_gap_words("ab", 2, 1, 5), None);
        // A full stop run into the next sentence by scraping ends it too; one inside a product's name does not.
        let spaced = "product development .Own the product roadmap";
        assert_eq!(near_gap_words(spaced, 19, 37, 6), None, "a spaced stop before a capitalised word");
        assert_eq!(near_gap_words(spaced, 8, 37, 6), None, "the gap holds a side and the stop");
        assert_eq!(near_gap_words("own the .net roadmap", 3, 13, 5), Some(2), "\".net\" is a word");
        assert_eq!(near_gap_words("build Node.Js and Asp.Net apps", 5, 26, 5), Some(5), "names glued by a stop");
    }

    #[test]
    fn clause_breaks() {
        let t = "no travel. Backlog";
        assert!(has_clause_break(t, 2, 11));
        assert!(!has_clause_break("not a scrum", 3, 6));
    }
}
