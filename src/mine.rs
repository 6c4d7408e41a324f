//! Mining labelled postings for wording a role's profile misses: a tool for rule authors, never a rule generator.
//!
//! [`mine`] reads a labelled CSV twice. The first pass counts, per posting, the word n-grams (1 to `max_n` words,
//! within one sentence or bullet) of the postings labelled with the role, and pairs of words a few words apart
//! (candidate proximity rules); it also counts every word's document frequency over the other postings, so that
//! n-grams that start or end with a word most postings have ("the", "and", "with") are left out: the stop words
//! come from the data, not from a language list. The second pass counts the candidates in the other postings. A
//! candidate is reported when it is in at least `min_count` of the role's postings and `min_lift` times more
//! common there than elsewhere, ranked by `share × log2(lift)`, with example ids.
//!
//! What the pack already matches is left out: an occurrence that overlaps the role's own evidence (a phrase, regex, near
//! rule or name the scanner found for that role) or inside boilerplate does not count. Counting is per posting
//! (document frequency), so one posting that repeats a phrase counts once. Words are lower-cased and split the way
//! phrases are normalised (a hyphen splits, an apostrophe or `/` inside a word does not), so a candidate can be
//! pasted into a rule file as it is, after a person has read it and chosen its area.

use crate::eval::Columns;
use crate::posting::{is_word_char, Posting};
use crate::ruleset::RuleSet;
use crate::Session;
use serde::Serialize;
use std::collections::HashMap;
use std::io::Read;

/// What to mine for.
#[derive(Debug, Clone)]
pub struct MineOptions {
    /// The label whose postings are mined (a role id).
    pub role: String,
    /// Longest n-gram, in words (1 ..= 6).
    pub max_n: usize,
    /// Fewest of the role's postings a candidate must appear in.
    pub min_count: usize,
    /// Smallest lift (share among the role's postings over share among the others) reported.
    pub min_lift: f64,
    /// How many candidates of each kind to report.
    pub top: usize,
    /// Most words between the two words of a proximity pair (0: no pairs).
    pub window: usize,
    /// A column (e.g. the company) whose value a candidate is counted once for: ten ads of one employer are one
    /// voice.
    pub distinct: Option<String>,
}

impl Default for MineOptions {
    fn default() -> Self {
        MineOptions { role: String::new(), max_n: 4, min_count: 3, min_lift: 3.0, top: 40, window: 4, distinct: None }
    }
}

/// A word that at least this share of the other postings have is a stop word here.
pub const COMMON_SHARE: f64 = 0.25;
/// How many example ids a candidate keeps.
pub const EXAMPLES: usize = 3;

/// One candidate phrase or pair.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Candidate {
    /// `phrase` (an n-gram) or `near` (two words a few words apart, in either order).
    pub kind: &'static str,
    /// The words (`a .. b` for a pair, the syntax of a proximity rule).
    pub text: String,
    /// The role's postings that have it.
    pub in_role: usize,
    /// The other labelled postings that have it.
    pub elsewhere: usize,
    /// `(in_role / n_role) / ((elsewhere + 1) / (n_rest + 1))`.
    pub lift: f64,
    /// Ids of the first role postings that have it.
    pub examples: Vec<String>,
}

/// The result of mining.
#[derive(Debug, Clone, Serialize)]
pub struct Mined {
    /// The role mined.
    pub role: String,
    /// Postings labelled with the role.
    pub n_role: usize,
    /// Other labelled postings.
    pub n_rest: usize,
    /// N-gram candidates, best first.
    pub phrases: Vec<Candidate>,
    /// Proximity-pair candidates, best first.
    pub pairs: Vec<Candidate>,
    /// Labelled postings left out because an earlier posting had the very same words (job boards repost ads).
    pub duplicates: usize,
    /// Malformed records: (record number, reason).
    pub errors: Vec<(u64, String)>,
}

/// Errors that stop mining.
#[derive(Debug)]
pub enum MineError {
    /// Reading the input failed, or a column is missing.
    Input(crate::eval::EvalError),
    /// No posting carries the label.
    NoPostings(String),
}

impl std::fmt::Display for MineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MineError::Input(e) => e.fmt(f),
            MineError::NoPostings(role) => write!(f, "no posting is labelled `{role}`"),
        }
    }
}

impl std::error::Error for MineError {}

/// One word of a posting: lower-cased, with its byte span in the original text and the sentence it is in.
#[derive(Debug, Clone, PartialEq)]
struct Word {
    text: String,
    start: usize,
    end: usize,
    sentence: u32,
}

/// Splits `text` into words the way phrases are normalised (lower case; a hyphen or space splits; `'`, `/`, `&`,
/// `.`, `+` and `#` inside or at the end of a word keep it together: "you'll", "ci/cd", "node.js", "c++", "c#"),
/// numbering sentences (a sentence ends at `.`, `!`, `?`, `;`, `:` before a space, a line break or a bullet).
fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut sentence = 0u32;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if is_word_char(c) {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                let inner = matches!(d, '\'' | '\u{2019}' | '/' | '&' | '.' | '+' | '#');
                if is_word_char(d) {
                    end = j + d.len_utf8();
                    chars.next();
                } else if inner {
                    // Inside a word only when a word character follows ("ci/cd"), or at its end for + and #.
                    let after = text[j + d.len_utf8()..].chars().next();
                    if after.is_some_and(is_word_char) {
                        end = j + d.len_utf8();
                        chars.next();
                    } else if matches!(d, '+' | '#') {
                        end = j + d.len_utf8();
                        chars.next();
                        if d == '+' && after == Some('+') {
                            end += 1;
                            chars.next();
                        }
                    } else {
                        break;
                    }
                } else {
                    break;
                }
            }
            let w = text[i..end].replace('\u{2019}', "'").to_lowercase();
            out.push(Word { text: w, start: i, end, sentence });
        } else {
            let next = chars.peek().map(|&(_, d)| d);
            let ends = match c {
                '.' | '!' | '?' | ';' | ':' => next.is_none_or(char::is_whitespace),
                '\n' | '\r' | '\u{2022}' | '\u{25CF}' | '\u{25AA}' | '|' | '\u{3002}' => true,
                '-' | '\u{2013}' | '\u{2014}' | '*' => {
                    let prev = text[..i].chars().next_back();
                    prev.is_none_or(char::is_whitespace) && next.is_none_or(char::is_whitespace)
                }
                _ => false,
            };
            if ends {
                sentence += 1;
            }
        }
    }
    out
}

/// Whether `start..end` touches one of `spans` (sorted, disjoint): an n-gram that overlaps what the pack already
/// matches only extends known wording.
fn covered(spans: &[(usize, usize)], start: usize, end: usize) -> bool {
    let i = spans.partition_point(|&(_, e)| e <= start);
    i < spans.len() && spans[i].0 < end
}

/// Per-posting tally of keys (counted once per posting).
#[derive(Default)]
struct Tally {
    /// Per key: postings (or distinct groups) that have it, example ids, the groups seen.
    df: HashMap<String, Count>,
}

/// How many postings have a key; with a `--distinct-col`, how many distinct values of it.
#[derive(Default)]
struct Count {
    n: usize,
    examples: Vec<String>,
    groups: std::collections::HashSet<u64>,
}

impl Tally {
    fn add_doc(&mut self, keys: &mut Vec<String>, id: &str, group: Option<u64>, keep_examples: bool) {
        keys.sort_unstable();
        keys.dedup();
        for k in keys.drain(..) {
            let e = self.df.entry(k).or_default();
            if group.is_none_or(|g| e.groups.insert(g)) {
                e.n += 1;
                if keep_examples && e.examples.len() < EXAMPLES {
                    e.examples.push(id.to_string());
                }
            }
        }
    }
}

/// The state of one mining run, over its two passes.
struct Miner<'r, 'o> {
    scanner: Session<'r>,
    role_idx: Option<crate::ruleset::RoleIdx>,
    opts: &'o MineOptions,
    errors: Vec<(u64, String)>,
    n_role: usize,
    n_rest: usize,
    unigram_df: HashMap<String, usize>,
    /// Hashes of the word sequences seen in this pass: a repost counts once.
    seen: std::collections::HashSet<u64>,
    duplicates: usize,
    /// Pass 1: the role's n-grams and pairs; pass 2: the same keys, counted in the other postings.
    ngrams: Tally,
    pairs: Tally,
    text: String,
    keys: Vec<String>,
    pair_keys: Vec<String>,
}

impl Miner<'_, '_> {
    /// One pass over the CSV. The first counts every posting's words and the role's candidates; the second counts
    /// the candidates (the keys already in `ngrams`/`pairs`) in the other postings.
    fn pass<R: Read>(&mut self, input: R, delimiter: u8, cols: &Columns, first: bool) -> Result<(), MineError> {
        let mut rdr = csv::ReaderBuilder::new().delimiter(delimiter).flexible(false).from_reader(input);
        let csv_err = |e| MineError::Input(crate::eval::EvalError::Csv(e));
        let header: Vec<String> = rdr.headers().map_err(csv_err)?.iter().map(str::to_string).collect();
        let find = |c: &str| crate::eval::column(&header, c).map_err(MineError::Input);
        let label_i = find(&cols.label)?;
        let text_i: Vec<usize> = cols.text.iter().map(|c| find(c)).collect::<Result<_, _>>()?;
        let id_i = cols.id.as_deref().map(find).transpose()?;
        let distinct_i = self.opts.distinct.as_deref().map(find).transpose()?;
        let mut record = csv::StringRecord::new();
        let mut number: u64 = 0;
        loop {
            number += 1;
            match rdr.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    if first {
                        self.errors.push((number, e.to_string()));
                    }
                    if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                        break;
                    }
                    continue;
                }
            }
            let label = record.get(label_i).unwrap_or("").trim();
            if label.is_empty() {
                continue;
            }
            let in_role = label == self.opts.role;
            if !first && in_role {
                continue;
            }
            crate::eval::join_text(&record, &text_i, &mut self.text);
            let words = words(&self.text);
            let key = {
                use std::hash::{Hash, Hasher};
                let mut h = std::collections::hash_map::DefaultHasher::new();
                words.iter().for_each(|w| w.text.hash(&mut h));
                h.finish()
            };
            if !self.seen.insert(key) {
                self.duplicates += usize::from(first);
                continue;
            }
            if first {
                if in_role {
                    self.n_role += 1;
                } else {
                    self.n_rest += 1;
                }
            }
            let id = id_i.and_then(|i| record.get(i)).map_or_else(|| number.to_string(), str::to_string);
            let group = distinct_i.and_then(|i| record.get(i)).map(str::trim).filter(|g| !g.is_empty()).map(|g| {
                use std::hash::{Hash, Hasher};
                let mut h = std::collections::hash_map::DefaultHasher::new();
                g.to_lowercase().hash(&mut h);
                h.finish()
            });
            self.posting(words, &id, group, in_role, first);
        }
        Ok(())
    }

    /// Counts one posting.
    fn posting(&mut self, ws: Vec<Word>, id: &str, group: Option<u64>, in_role: bool, first: bool) {
        if first && !in_role {
            // Stop words are the words most other postings have: words typical of the role are not.
            let mut seen: Vec<&str> = ws.iter().map(|w| w.text.as_str()).collect();
            seen.sort_unstable();
            seen.dedup();
            for w in seen {
                *self.unigram_df.entry(w.to_string()).or_default() += 1;
            }
            return;
        }
        // What the scanner already finds for the role, and boilerplate, do not count.
        let role_idx = self.role_idx;
        let mut skip: Vec<(usize, usize)> = self
            .scanner
            .scan(Posting::new(&self.text).text)
            .iter()
            .filter(|h| in_role && Some(h.kind.role()) == role_idx)
            .map(|h| (h.start, h.end))
            .collect();
        skip.extend_from_slice(self.scanner.boilerplate());
        skip.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(skip.len());
        for (s, e) in skip {
            match merged.last_mut() {
                Some(last) if s <= last.1 => last.1 = last.1.max(e),
                _ => merged.push((s, e)),
            }
        }
        let max_n = self.opts.max_n.clamp(1, 6);
        for i in 0..ws.len() {
            for n in 1..=max_n {
                let Some(last) = ws.get(i + n - 1) else { break };
                if last.sentence != ws[i].sentence {
                    break;
                }
                if covered(&merged, ws[i].start, last.end) {
                    continue;
                }
                self.keys.push(ws[i..i + n].iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" "));
            }
            if self.opts.window > 0 {
                for j in i + 2..(i + 2 + self.opts.window).min(ws.len()) {
                    if ws[j].sentence != ws[i].sentence {
                        break;
                    }
                    if covered(&merged, ws[i].start, ws[j].end) || ws[i].text == ws[j].text {
                        continue;
                    }
                    let (a, b) = if ws[i].text <= ws[j].text { (&ws[i], &ws[j]) } else { (&ws[j], &ws[i]) };
                    self.pair_keys.push(format!("{} .. {}", a.text, b.text));
                }
            }
        }
        if !first {
            // The second pass counts only the candidates.
            let (ngrams, pairs) = (&self.ngrams, &self.pairs);
            self.keys.retain(|k| ngrams.df.contains_key(k));
            self.pair_keys.retain(|k| pairs.df.contains_key(k));
        }
        self.ngrams.add_doc(&mut self.keys, id, group, first);
        self.pairs.add_doc(&mut self.pair_keys, id, group, first);
    }
}

/// Mines the postings of a CSV (opened twice by `open`) for phrases and pairs typical of `opts.role`.
pub fn mine<R: Read>(
    rules: &RuleSet,
    open: impl Fn() -> std::io::Result<R>,
    delimiter: u8,
    cols: &Columns,
    opts: &MineOptions,
) -> Result<Mined, MineError> {
    let io_err = |e: std::io::Error| MineError::Input(crate::eval::EvalError::Csv(e.into()));
    let mut m = Miner {
        scanner: Session::new(rules),
        role_idx: rules.role(&opts.role).map(|(i, _)| i),
        opts,
        errors: Vec::new(),
        n_role: 0,
        n_rest: 0,
        unigram_df: HashMap::new(),
        seen: Default::default(),
        duplicates: 0,
        ngrams: Tally::default(),
        pairs: Tally::default(),
        text: String::new(),
        keys: Vec::new(),
        pair_keys: Vec::new(),
    };
    m.pass(open().map_err(io_err)?, delimiter, cols, true)?;
    if m.n_role == 0 {
        return Err(MineError::NoPostings(opts.role.clone()));
    }
    let rest = m.n_rest.max(1) as f64;
    let unigram_df = std::mem::take(&mut m.unigram_df);
    let common = |w: &str| unigram_df.get(w).copied().unwrap_or(0) as f64 >= COMMON_SHARE * rest;
    let keep = |k: &str, v: &Count, pair: bool| {
        if v.n < opts.min_count {
            return false;
        }
        let parts: Vec<&str> = if pair { k.split(" .. ").collect() } else { k.split(' ').collect() };
        let (first, last) = (parts[0], parts[parts.len() - 1]);
        let short = |w: &str| w.chars().count() < 3;
        !(common(first) || common(last) || (pair && (short(first) || short(last))))
    };
    let mut role_ngrams = std::mem::take(&mut m.ngrams);
    let mut role_pairs = std::mem::take(&mut m.pairs);
    role_ngrams.df.retain(|k, v| keep(k, v, false));
    role_pairs.df.retain(|k, v| keep(k, v, true));
    m.ngrams = Tally { df: role_ngrams.df.keys().map(|k| (k.clone(), Count::default())).collect() };
    m.pairs = Tally { df: role_pairs.df.keys().map(|k| (k.clone(), Count::default())).collect() };
    m.seen.clear();
    m.pass(open().map_err(io_err)?, delimiter, cols, false)?;
    let (n_role, n_rest) = (m.n_role, m.n_rest);

    let rank = |tally: Tally, rest: &Tally, kind: &'static str| -> Vec<Candidate> {
        let mut out: Vec<Candidate> = tally
            .df
            .into_iter()
            .map(|(text, Count { n: in_role, examples, .. })| {
                let elsewhere = rest.df.get(&text).map_or(0, |v| v.n);
                let lift = (in_role as f64 / n_role as f64) / ((elsewhere as f64 + 1.0) / (n_rest as f64 + 1.0));
                Candidate { kind, text, in_role, elsewhere, lift, examples }
            })
            .filter(|c| c.lift >= opts.min_lift)
            .collect();
        let worth = |c: &Candidate| c.in_role as f64 / n_role as f64 * c.lift.log2();
        out.sort_by(|a, b| worth(b).total_cmp(&worth(a)).then_with(|| a.text.cmp(&b.text)));
        // A phrase inside a kept longer one that appears nearly as often adds nothing to read.
        let mut kept: Vec<Candidate> = Vec::new();
        for c in out {
            let same = kept.iter().position(|k| {
                let (long, short) = if k.text.len() > c.text.len() { (k, &c) } else { (&c, k) };
                format!(" {} ", long.text).contains(&format!(" {} ", short.text))
                    && long.in_role * 10 >= short.in_role * 8
            });
            match same {
                // The longer of the two says more: it takes the shorter one's place.
                Some(i) if kept[i].text.len() < c.text.len() => kept[i] = c,
                Some(_) => {}
                None => kept.push(c),
            }
            if kept.len() == opts.top {
                break;
            }
        }
        let mut seen = std::collections::HashSet::new();
        kept.retain(|k| seen.insert(k.text.clone()));
        kept
    };
    let phrases = rank(role_ngrams, &m.ngrams, "phrase");
    let pairs = rank(role_pairs, &m.pairs, "near");
    Ok(Mined { role: opts.role.clone(), n_role, n_rest, phrases, pairs, duplicates: m.duplicates, errors: m.errors })
}

impl Mined {
    /// The candidates as readable tables.
    pub fn render(&self) -> String {
        use std::fmt::Write as _;
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{}: {} postings with the label, {} other labelled postings (reposts left out: {}){}",
            self.role,
            self.n_role,
            self.n_rest,
            self.duplicates,
            if self.errors.is_empty() { String::new() } else { format!(", {} error records", self.errors.len()) }
        );
        let _ = writeln!(
            s,
            "(not counted: what the pack already matches for the role, and boilerplate; read each before it enters a rule)"
        );
        for (title, list) in [("phrases", &self.phrases), ("proximity pairs", &self.pairs)] {
            let _ = writeln!(s);
            let _ = writeln!(s, "{title}");
            if list.is_empty() {
                let _ = writeln!(s, "  (none)");
                continue;
            }
            let w = list.iter().map(|c| c.text.chars().count()).max().unwrap_or(0).max(6);
            let _ = writeln!(
                s,
                "  {:>4} {:>6}  {:>5} {:>6}  {:>6}  {:<w$}  examples",
                "in", "", "else", "", "lift", "words"
            );
            for c in list {
                let _ = writeln!(
                    s,
                    "  {:>4} {:>5.1}%  {:>5} {:>5.1}%  {:>6.1}  {:<w$}  {}",
                    c.in_role,
                    100.0 * c.in_role as f64 / self.n_role as f64,
                    c.elsewhere,
                    100.0 * c.elsewhere as f64 / self.n_rest.max(1) as f64,
                    c.lift,
                    c.text,
                    c.examples.join(" ")
                );
            }
        }
        for (n, e) in self.errors.iter().take(20) {
            let _ = writeln!(s, "error: record {n}: {e}");
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_like_phrases_and_number_sentences() {
        let ws = words("Own the Back-log. You'll use CI/CD, C++ and C#\n- ship e.g. fast");
        let t: Vec<(&str, u32)> = ws.iter().map(|w| (w.text.as_str(), w.sentence)).collect();
        assert_eq!(
            t,
            [
                ("own", 0),
                ("the", 0),
                ("back", 0),
                ("log", 0),
                ("you'll", 1),
                ("use", 1),
                ("ci/cd", 1),
                ("c++", 1),
                ("and", 1),
                ("c#", 1),
                ("ship", 3),
                ("e.g", 3),
                ("fast", 4)
            ]
        );
    }

    fn corpus() -> String {
        let mut csv = String::from("id,label,body\n");
        for i in 0..6 {
            csv +=
                &format!("r{i},role-x,\"You will steer the release train for the fleet. The fleet is large: {i}.\"\n");
        }
        for i in 0..60 {
            let extra = if i % 20 == 0 { " Steer the ship." } else { "" };
            csv += &format!("o{i},other,\"You will bake bread for the fleet and the town {i}.{extra}\"\n");
        }
        csv += "x,other\n";
        csv += "r0b,role-x,\"You will steer the release train for the fleet. The fleet is large: 0.\"\n";
        csv
    }

    #[test]
    fn phrases_and_pairs_typical_of_a_label() {
        let rules = crate::default_rules().unwrap();
        let data = corpus();
        let cols =
            Columns { label: "label".into(), text: vec!["body".into()], id: Some("id".into()), title: None, by: None };
        let opts = MineOptions { role: "role-x".into(), min_count: 3, ..MineOptions::default() };
        let m = mine(&rules, || Ok(data.as_bytes()), b',', &cols, &opts).unwrap();
        assert_eq!((m.n_role, m.n_rest), (6, 60));
        assert_eq!(m.errors.len(), 1, "the short record is an error record");
        assert_eq!(m.duplicates, 1, "a repost of r0 counts once");
        let top: Vec<&str> = m.phrases.iter().map(|c| c.text.as_str()).collect();
        assert!(top.contains(&"steer the release train"), "{top:?}");
        assert!(!top.iter().any(|t| t.starts_with("the ") || t.ends_with(" the")), "stop words from the data: {top:?}");
        assert!(!top.contains(&"fleet"), "as common elsewhere: {top:?}");
        assert!(!top.iter().any(|t| t.contains("train for")), "never across a sentence break or into another sentence");
        let steer = m.phrases.iter().find(|c| c.text.starts_with("steer")).unwrap();
        assert_eq!((steer.in_role, steer.elsewhere), (6, 0));
        assert_eq!(steer.examples, ["r0", "r1", "r2"]);
        let pairs: Vec<&str> = m.pairs.iter().map(|c| c.text.as_str()).collect();
        assert!(pairs.contains(&"release .. steer"), "{pairs:?}");
        let table = m.render();
        assert!(table.contains("steer the release train") && table.contains("proximity pairs"), "{table}");
    }

    #[test]
    fn what_the_pack_matches_is_left_out() {
        let rules = crate::default_rules().unwrap();
        let mut csv = String::from("id,label,body\n");
        for i in 0..5 {
            csv += &format!("s{i},scrum-master,\"Facilitate sprint planning and remove impediments for crew {i}.\"\n");
        }
        for i in 0..5 {
            csv += &format!("o{i},other,\"Drive the truck for crew {i}.\"\n");
        }
        let cols = Columns { label: "label".into(), text: vec!["body".into()], id: None, title: None, by: None };
        let opts = MineOptions { role: "scrum-master".into(), min_count: 3, min_lift: 1.5, ..MineOptions::default() };
        let m = mine(&rules, || Ok(csv.as_bytes()), b',', &cols, &opts).unwrap();
        let top: Vec<&str> = m.phrases.iter().map(|c| c.text.as_str()).collect();
        assert!(!top.iter().any(|t| t.contains("impediments") || t.contains("sprint planning")), "{top:?}");
        let none = mine(&rules, || Ok(csv.as_bytes()), b',', &cols, &MineOptions { role: "cto".into(), ..opts });
        assert!(matches!(none, Err(MineError::NoPostings(_))));
    }
}
