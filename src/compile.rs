//! Compiling a pack: rule files → checks → one automaton + regexes + tables → [`RuleSet`].
//!
//! [`compile`] parses every source, checks it (ids, weights, empty areas, phrases, regexes, duplicate ids, examples
//! naming unknown roles) and collects **all** diagnostics before failing. Phrases are normalised exactly as postings
//! are (`posting::normalize_phrase`) and de-duplicated across the pack into one literal each; every literal gets the
//! table of its meanings, and every literal a body can use goes into one Aho-Corasick automaton that reports
//! overlapping matches (literals with a title meaning also go into a small title automaton, so title-only words such as
//! "po" never cost a body scan). A literal that `k` roles list as responsibility evidence gets specificity `k^-0.5` for
//! each of them: derived from the pack, never tuned per phrase. Regexes are checked here (syntax, an estimated size
//! bound) and compiled on first use; their leading literals (from `regex-syntax`) join the automaton, so a regex only
//! runs where its literal was found.

use crate::automaton::{Literals, WordLiterals};
use crate::diag::{codes, Diagnostic, Severity, Span};
use crate::posting::normalize_phrase;
use crate::rulefile::{self, LanguageSpec, ParsedFile, RoleFile, Source, TitleCuesSpec};
use crate::ruleset::{
    Action, Area, Candidate, Example, Meaning, NearRule, NextBytes, Noise, Pattern, RegexRule, Role, RoleIdx, RuleSet,
    Seniority, TitleExample, Use, UseKind,
};
use aho_corasick::{AhoCorasick, MatchKind};
use std::collections::{HashMap, HashSet};
use toml::Spanned;

/// Exponent of the sharing penalty: a literal listed by `k` roles has specificity `k^-SHARE_EXPONENT`.
pub const SHARE_EXPONENT: f64 = 0.5;
/// Default for `negation_gap` (bytes between a negation cue and the phrase it negates).
const DEFAULT_NEGATION_GAP: usize = 24;
/// Default for `background_gap` (bytes between a background cue and the phrase it reaches).
const DEFAULT_BACKGROUND_GAP: usize = 40;
/// Words allowed between the two sides of a proximity rule when it does not say (`a .. b`).
pub const DEFAULT_NEAR_WINDOW: u8 = 5;
/// Most words a proximity rule may allow between its sides (`a ..12 b`).
pub const MAX_NEAR_WINDOW: u8 = 12;
/// Most literals one written phrase may expand to (`own~ and order~ the backlog~`).
const MAX_FORMS: usize = 256;
/// Shortest regex prefix literal worth a place in the automaton.
const MIN_REGEX_LITERAL: usize = 3;
/// The shortest literal that may end a regex's matches for the scan to look for it ([`tail`]).
const MIN_TAIL_LITERAL: usize = 3;
/// The most literals a regex's tail may have for the scan to look for them.
const MAX_TAIL_LITERALS: usize = 16;
/// Upper bound on a regex's estimated automaton size: a pattern that would explode is a diagnostic, not a hang.
const MAX_REGEX_SIZE: u64 = 200_000;
/// Longest phrase accepted (bytes, normalised): phrases are words, not paragraphs.
const MAX_PHRASE_BYTES: usize = 400;
/// Most distinct literals in one automaton (the default pack has about 7,000; 100,000 compile in about half a
/// second and 100 MB): a bound, so that a hostile or generated pack fails with a diagnostic instead of eating memory.
const MAX_LITERALS: usize = 300_000;

/// A compiled pack plus the warnings found while compiling it.
#[derive(Debug)]
pub struct Compiled {
    /// The rule set.
    pub rules: RuleSet,
    /// Warnings (never errors: those fail the compilation).
    pub warnings: Vec<Diagnostic>,
}

/// Compiles sources (in order) into a rule set, or returns every diagnostic (errors and warnings) found.
pub fn compile(sources: &[Source]) -> Result<Compiled, Vec<Diagnostic>> {
    let mut b = Builder::default();
    // Files keep their pack order; language files are read first, since role files use their inflections.
    for src in sources {
        b.file_index(&src.name);
    }
    for src in sources.iter().filter(|s| rulefile::is_language(s)) {
        match prepare(src).0 {
            Ok(ParsedFile::Language(l)) => b.add_language(src, &l.language),
            Ok(ParsedFile::Role(_)) => unreachable!("a language file parses as one"),
            Err(d) => b.diags.push(d),
        }
    }
    // Each role file is parsed (on this thread: a second thread's allocator arena stayed resident, 0.9 MiB) and
    // read into the builder before the next is parsed, and only what the last steps still need of it (its id,
    // `builds_on`, examples and titles) is kept. The parsed phrases of a whole pack, held at once, were freed as
    // holes between the builder's lists that the heap kept resident: 1 MiB of `classify`'s peak RSS.
    let mut roles = Vec::new();
    for src in sources.iter().filter(|s| !rulefile::is_language(s)) {
        match prepare(src) {
            (Ok(ParsedFile::Role(mut r)), checks) => {
                b.add_role(src, &r, &checks);
                r.areas = Vec::new();
                r.names = Vec::new();
                r.background = None;
                r.negative = None;
                roles.push((src, r));
            }
            (Ok(ParsedFile::Language(_)), _) => unreachable!("a role file parses as one"),
            (Err(d), _) => b.diags.push(d),
        }
    }
    if b.roles.is_empty() && !b.diags.iter().any(Diagnostic::is_error) {
        let file = sources.first().map_or("<pack>".to_string(), |s| s.name.clone());
        b.diags.push(
            Diagnostic::error(codes::EMPTY_PACK, &file, "", None, "the rule pack has no roles")
                .with_hint("a pack needs at least one role file (see rules/README.md)"),
        );
    }
    for (src, r) in &roles {
        b.add_builds_on(src, r);
        b.add_examples(src, r);
    }
    if b.diags.iter().any(Diagnostic::is_error) {
        b.diags.sort_by(|x, y| (&x.file, x.line, x.col).cmp(&(&y.file, y.line, y.col)));
        return Err(b.diags);
    }
    // The role files are all read into the builder: their memory goes before the automata are built.
    drop(roles);
    b.finish()
}

/// A regex checked ahead of compilation: its prefix literals and estimated size, or its syntax error.
type RegexCheck = Result<(Option<Vec<(String, NextBytes)>>, Option<Tail>, u64), String>;

fn check_regex(source: &str) -> RegexCheck {
    let hir = regex_syntax::parse(source).map_err(|e| {
        e.to_string().lines().last().unwrap_or("invalid regex").trim().trim_start_matches("error: ").to_string()
    })?;
    Ok((prefix_literals(&hir), tail(&hir), estimated_size(&hir)))
}

/// Parses one file and checks its regexes: the part of compiling that needs no other file.
fn prepare(src: &Source) -> (Result<ParsedFile, Diagnostic>, Vec<RegexCheck>) {
    let parsed = rulefile::parse(src);
    let checks = match &parsed {
        Ok(ParsedFile::Role(r)) => r.areas.iter().flat_map(|a| &a.patterns).map(|p| check_regex(p.get_ref())).collect(),
        _ => Vec::new(),
    };
    (parsed, checks)
}

/// The same literal, as it is collected before the automaton is built.
#[derive(Default)]
struct Builder {
    diags: Vec<Diagnostic>,
    roles: Vec<Role>,
    role_ids: HashMap<String, (String, Span)>,
    literals: Vec<Pattern>,
    literal_ids: HashMap<String, usize, FnvBuild>,
    regexes: Vec<RegexRule>,
    title_regexes: Vec<(Noise, RegexRule)>,
    title_examples: Vec<TitleExample>,
    title_joiners: Vec<String>,
    location_before: Vec<String>,
    files: Vec<String>,
    regex_literals: Vec<(u32, String, NextBytes)>,
    /// Each regex with a [`Tail`], and its suffixes.
    regex_tails: Vec<(u32, Vec<Vec<String>>)>,
    global_regexes: Vec<u32>,
    negation_gap: Option<usize>,
    background_gap: Option<usize>,
    /// Endings and spelling pairs of `word~` (from the language files).
    endings: Vec<String>,
    spellings: Vec<(String, String)>,
    near_rules: Vec<NearRule>,
    job_phrases: Vec<String>,
    /// The language files' `common_words`, normalised.
    common_words: HashSet<String>,
    /// Each proximity rule's two sides as written (alternatives), to choose its trigger side in `finish`.
    near_sides: Vec<[Vec<String>; 2]>,
    other_phrases: Vec<String>,
    other_after_phrases: Vec<String>,
    company_starts: Vec<String>,
    /// The next written phrase's group (see [`Use::group`]).
    next_group: u32,
    languages: Vec<String>,
    examples: Vec<Example>,
    phrase_count: usize,
    hash: Fnv,
}

impl Builder {
    fn err(&mut self, code: &'static str, src: &Source, span: Span, msg: impl Into<String>, hint: &str) {
        self.diags.push(Diagnostic::error(code, &src.name, &src.text, Some(span), msg).with_hint(hint));
    }

    fn check_id(&mut self, src: &Source, id: &Spanned<String>, what: &str) {
        if !is_kebab(id.get_ref()) {
            self.err(
                codes::BAD_ID,
                src,
                id.span().into(),
                format!("{what} `{}` is not kebab-case", id.get_ref()),
                "ids use lower-case ASCII letters, digits and single hyphens, e.g. `technical-product-owner`",
            );
        }
    }

    fn add_role(&mut self, src: &Source, r: &RoleFile, checks: &[RegexCheck]) {
        self.file_index(&src.name);
        let mut checks = checks.iter();
        self.check_id(src, &r.id, "role id");
        self.check_id(src, &r.family, "family id");
        let id = r.id.get_ref().clone();
        if let Some((file, first)) = self.role_ids.get(&id).cloned() {
            let first_line = if file == src.name { crate::diag::line_col(&src.text, first.start).0 } else { 0 };
            let where_ = if first_line > 0 { format!("line {first_line}") } else { file };
            self.err(
                codes::DUPLICATE_ID,
                src,
                r.id.span().into(),
                format!("duplicate role id `{id}` (first defined in {where_})"),
                "role ids must be unique in the pack; with --rules-add, give your role a new id",
            );
            return;
        }
        self.role_ids.insert(id.clone(), (src.name.clone(), r.id.span().into()));
        let role_idx = self.roles.len() as RoleIdx;
        self.hash.write_str("role");
        self.hash.write_str(&id);
        self.hash.write_str(&r.name);
        self.hash.write_str(r.family.get_ref());
        if r.areas.is_empty() {
            self.err(
                codes::EMPTY_AREA,
                src,
                r.id.span().into(),
                format!("role `{id}` has no areas"),
                "add at least one [[areas]] table with phrases",
            );
        }
        let mut seen_phrases: HashMap<(usize, bool, bool), Span, FnvBuild> = HashMap::default();
        let mut areas = Vec::new();
        for (ai, a) in r.areas.iter().enumerate() {
            self.check_id(src, &a.id, "area id");
            if r.areas[..ai].iter().any(|p| p.id.get_ref() == a.id.get_ref()) {
                self.err(
                    codes::DUPLICATE_ID,
                    src,
                    a.id.span().into(),
                    format!("duplicate area id `{}` in role `{id}`", a.id.get_ref()),
                    "area ids must be unique within a role",
                );
            }
            let w = self.check_weight(src, &a.weight, "area");
            if a.phrases.is_empty() && a.patterns.is_empty() && a.near.is_empty() {
                self.err(
                    codes::EMPTY_AREA,
                    src,
                    a.id.span().into(),
                    format!("area `{}` has no phrases, patterns or near rules", a.id.get_ref()),
                    "give the area some `phrases` (or `patterns`, `near`), or remove it",
                );
            }
            self.hash.write_str(a.id.get_ref());
            self.hash.write_str(&a.name);
            self.hash.write_str(&w.to_bits().to_string());
            let kind = UseKind::Responsibility { role: role_idx, area: ai as u16 };
            for p in &a.phrases {
                if let Some(key) = self.add_phrase(src, p, kind) {
                    if let Some(first) = seen_phrases.get(&key) {
                        let line = crate::diag::line_col(&src.text, first.start).0;
                        self.diags.push(
                            Diagnostic::warning(
                                codes::DUPLICATE_PHRASE,
                                &src.name,
                                &src.text,
                                Some(p.span().into()),
                                format!(
                                    "phrase `{}` is listed twice in role `{id}` (first on line {line})",
                                    p.get_ref()
                                ),
                            )
                            .with_hint("a phrase counts once per role; remove the repeat"),
                        );
                    } else {
                        seen_phrases.insert(key, p.span().into());
                    }
                }
            }
            for pat in &a.patterns {
                let check = checks.next().cloned().unwrap_or_else(|| check_regex(pat.get_ref()));
                self.add_regex(src, pat, check, role_idx, ai as u16);
            }
            for n in &a.near {
                self.add_near(src, n, role_idx, ai as u16);
            }
            if a.distinguishing {
                self.hash.write_str("distinguishing");
            }
            areas.push(Area {
                id: a.id.get_ref().clone(),
                name: a.name.clone(),
                weight: w,
                distinguishing: a.distinguishing,
                background: false,
            });
        }
        if let Some(bg) = &r.background {
            let w = self.check_weight(src, &bg.weight, "background");
            if bg.phrases.is_empty() && bg.near.is_empty() {
                self.err(
                    codes::EMPTY_AREA,
                    src,
                    bg.weight.span().into(),
                    format!("the background of role `{id}` has no phrases and no near rules"),
                    "list the past jobs or fields that fit the role, e.g. `phrases = [\"software engineer\"]`",
                );
            }
            let area = areas.len() as u16;
            self.hash.write_str("background");
            self.hash.write_str(&w.to_bits().to_string());
            for p in &bg.phrases {
                self.add_phrase(src, p, UseKind::Responsibility { role: role_idx, area });
            }
            for n in &bg.near {
                self.add_near(src, n, role_idx, area);
            }
            areas.push(Area {
                id: "background".into(),
                name: "Background (the candidate's past work)".into(),
                weight: w,
                distinguishing: false,
                background: true,
            });
        }
        for n in &r.names {
            self.add_phrase(src, n, UseKind::Name { role: role_idx });
            self.add_phrase(src, n, UseKind::Title { role: role_idx });
        }
        for t in r.titles.iter().flat_map(|t| &t.phrases) {
            self.add_phrase(src, t, UseKind::Title { role: role_idx });
        }
        for f in r.titles.iter().flat_map(|t| &t.fields) {
            self.add_phrase(src, f, UseKind::TitleField { role: role_idx });
        }
        for v in r.titles.iter().flat_map(|t| &t.vague) {
            self.add_phrase(src, v, UseKind::TitleVague { role: role_idx });
        }
        if let Some(neg) = &r.negative {
            for n in &neg.phrases {
                self.add_phrase(src, n, UseKind::Negative { role: role_idx });
            }
        }
        self.roles.push(Role {
            id,
            name: r.name.clone(),
            family: r.family.get_ref().clone(),
            summary: r.summary.clone(),
            areas,
            file: src.name.clone(),
            builds_on: Vec::new(),
            title_covers: Vec::new(),
            title_umbrella: false,
            builds_on_share: crate::ruleset::BUILDS_ON_FACTOR,
            distinguishing_min: crate::ruleset::MIN_DISTINGUISHING,
            distinguishing_with: Vec::new(),
        });
    }

    /// A language file's gap (bytes between a cue and the phrase it reaches), with a diagnostic when out of range.
    fn check_gap(&mut self, src: &Source, gap: Option<&Spanned<i64>>, what: &str) -> Option<usize> {
        let g = gap?;
        let v = *g.get_ref();
        if (0..=200).contains(&v) {
            return Some(v as usize);
        }
        self.err(codes::BAD_WEIGHT, src, g.span().into(), format!("{what} {v} is out of range"), "use 0 ..= 200 bytes");
        None
    }

    /// An area's (or background's) weight, with a diagnostic when it is out of range.
    fn check_weight(&mut self, src: &Source, weight: &Spanned<f64>, what: &str) -> f64 {
        let hint = "weights run from 0.1 (marginal) to 3.0 (defining); 1.0 is normal";
        self.in_range(src, weight, 0.1..=3.0, &format!("{what} weight"), hint);
        *weight.get_ref()
    }

    /// A number of a rule file when it lies in `range`; otherwise a diagnostic at the value ("`what` N is out of
    /// range", with `hint`) and `None`.
    fn in_range(
        &mut self,
        src: &Source,
        value: &Spanned<f64>,
        range: std::ops::RangeInclusive<f64>,
        what: &str,
        hint: &str,
    ) -> Option<f64> {
        let v = *value.get_ref();
        if range.contains(&v) {
            return Some(v);
        }
        self.err(codes::BAD_WEIGHT, src, value.span().into(), format!("{what} {v} is out of range"), hint);
        None
    }

    /// Adds a phrase with one meaning; returns its identity (first literal id and wildcards) when valid.
    fn add_phrase(&mut self, src: &Source, p: &Spanned<String>, kind: UseKind) -> Option<(usize, bool, bool)> {
        let group = self.next_group;
        self.next_group += 1;
        self.add_text(src, p.get_ref(), p.span().into(), kind, group)
    }

    /// Adds the phrase `text` (written at `span`) with one meaning: every form it expands to (`word~`) becomes a
    /// literal with a use in `group`.
    fn add_text(
        &mut self,
        src: &Source,
        text: &str,
        span: Span,
        kind: UseKind,
        group: u32,
    ) -> Option<(usize, bool, bool)> {
        self.phrase_count += 1;
        let raw = text.trim();
        let left_open = raw.starts_with('*');
        let right_open = raw.len() > 1 && raw.ends_with('*');
        let inner = raw.trim_start_matches('*').trim_end_matches('*');
        if inner.contains('~') && self.endings.is_empty() {
            self.diags.push(
                Diagnostic::warning(
                    codes::NO_INFLECTION,
                    &src.name,
                    &src.text,
                    Some(span),
                    format!("phrase `{text}` inflects a word with `~`, but no language file says how words inflect"),
                )
                .with_hint("add `[language.inflection]` endings to the pack's language file; until then only the word as written matches"),
            );
        }
        let forms = match self.forms(inner) {
            Ok(f) => f,
            Err(msg) => {
                self.err(codes::BAD_PHRASE, src, span, format!("phrase `{text}`: {msg}"), "write `word~` to match a word's inflections (`prioritise~`, `risk~`); `~` ends a word, and a phrase expands to at most 256 forms");
                return None;
            }
        };
        let mut first = None;
        for form in forms {
            let lit = normalize_phrase(&form);
            if lit.is_empty() || lit.contains('*') {
                self.err(
                    codes::BAD_PHRASE,
                    src,
                    span,
                    format!("phrase `{text}` is empty or has a `*` inside"),
                    "a phrase is literal text; `*` may only stand at its start or end",
                );
                return None;
            }
            if lit.len() > MAX_PHRASE_BYTES {
                self.err(
                    codes::PACK_LIMIT,
                    src,
                    span,
                    format!("phrase is {} bytes long; the limit is {MAX_PHRASE_BYTES}", lit.len()),
                    "a phrase is a few words that signal a responsibility; split long text into phrases",
                );
                return None;
            }
            self.hash.write_kind(kind);
            self.hash.write_str(&lit);
            self.hash.write_u64(u64::from(left_open) | u64::from(right_open) << 1);
            let id = self.literal(&lit);
            let at = (self.file_index(&src.name), span);
            // Two forms of one phrase can normalise alike ("plan~": "planing" from two rules): one use is enough.
            if self.literals[id].uses.iter().any(|u| u.group == group && u.kind == kind) {
                continue;
            }
            self.literals[id].uses.push(Use {
                kind,
                phrase: text.to_string(),
                left_open,
                right_open,
                specificity: 1.0,
                group,
                at,
            });
            first.get_or_insert(id);
        }
        first.map(|id| (id, left_open, right_open))
    }

    /// Every form of a phrase: each word written `word~` takes its inflections (see [`Builder::word_forms`]), in
    /// every combination.
    fn forms(&self, inner: &str) -> Result<Vec<String>, String> {
        if !inner.contains('~') {
            return Ok(vec![inner.to_string()]);
        }
        let mut forms = vec![String::new()];
        for word in inner.split_whitespace() {
            let alternatives = match word.strip_suffix('~') {
                Some(base) if !base.is_empty() && !base.contains('~') => self.word_forms(&base.to_lowercase()),
                _ if word.contains('~') => return Err(format!("`~` must end a word (`{word}`)")),
                _ => vec![word.to_string()],
            };
            let mut next = Vec::with_capacity(forms.len() * alternatives.len());
            for f in &forms {
                for a in &alternatives {
                    next.push(if f.is_empty() { a.clone() } else { format!("{f} {a}") });
                }
            }
            if next.len() > MAX_FORMS {
                return Err(format!("it expands to more than {MAX_FORMS} forms"));
            }
            forms = next;
        }
        Ok(forms)
    }

    /// A word and its inflections by the pack's endings and spelling pairs: "prioritise" gives "prioritises",
    /// "prioritised", "prioritising", "prioritisation", and the same with "ize".
    fn word_forms(&self, base: &str) -> Vec<String> {
        let mut bases = vec![base.to_string()];
        // A stem written without its silent e ("mitigat~", "escalat~") inflects as the word with it: "mitigate",
        // "mitigation". For a word that needs no e the extra forms ("owne") never occur in text.
        if !self.endings.is_empty() && base.ends_with(|c: char| c.is_ascii_alphabetic() && !"aeiouwxy".contains(c)) {
            bases.push(format!("{base}e"));
        }
        for (a, b) in &self.spellings {
            for (from, to) in [(a, b), (b, a)] {
                if let Some(stem) = base.strip_suffix(from.as_str()) {
                    if !stem.is_empty() {
                        bases.push(format!("{stem}{to}"));
                    }
                }
            }
        }
        let mut out: Vec<String> = Vec::new();
        let mut add = |w: String| {
            if !out.contains(&w) {
                out.push(w);
            }
        };
        for b in &bases {
            add(b.clone());
            for e in &self.endings {
                for w in inflect(b, e) {
                    add(w);
                }
            }
        }
        out
    }

    /// The index of file `name` in the pack's file list (added on first use).
    fn file_index(&mut self, name: &str) -> u32 {
        match self.files.iter().position(|f| f == name) {
            Some(i) => i as u32,
            None => {
                self.files.push(name.to_string());
                (self.files.len() - 1) as u32
            }
        }
    }

    fn literal(&mut self, lit: &str) -> usize {
        if let Some(&id) = self.literal_ids.get(lit) {
            return id;
        }
        let id = self.literals.len();
        // Room for one use: most literals have no other (`Vec::new` would make room for four on the first push, a
        // third of the compile's peak heap, left as holes in it when `finish` gives the room back).
        let text = lit.to_string();
        self.literals.push(Pattern { text, uses: Vec::with_capacity(1), regexes: Vec::new(), tails: Vec::new() });
        self.literal_ids.insert(lit.to_string(), id);
        id
    }

    fn add_regex(&mut self, src: &Source, pat: &Spanned<String>, check: RegexCheck, role: RoleIdx, area: u16) {
        let source = pat.get_ref();
        let (literals, tail, size) = match check {
            Ok(c) => c,
            Err(msg) => {
                self.err(codes::BAD_REGEX, src, pat.span().into(), format!("invalid regex: {msg}"), "patterns use Rust `regex` syntax, run on lower-cased text with single spaces; escape literal ( ) . with a backslash");
                return;
            }
        };
        if size > MAX_REGEX_SIZE {
            self.err(codes::BAD_REGEX, src, pat.span().into(), format!("regex is too large (about {size} automaton states; the limit is {MAX_REGEX_SIZE})"), "avoid large counted repetitions such as `\\w{1000}`; bound repetitions tightly or list phrases instead");
            return;
        }
        let id = self.regexes.len() as u32;
        self.hash.write_str(&format!("re|{role}|{area}|{source}"));
        if literals.is_none() {
            self.diags.push(
                Diagnostic::warning(codes::REGEX_NO_LITERAL, &src.name, &src.text, Some(pat.span().into()), format!("regex `{source}` has no literal prefix of {MIN_REGEX_LITERAL}+ bytes: it runs over every posting's whole text"))
                    .with_hint("start the pattern with a fixed word, e.g. `own(?:s|ing)? the backlog` rather than `(?:\\w+) backlog`"),
            );
            self.global_regexes.push(id);
        }
        let global = literals.is_none();
        for (lit, next) in literals.unwrap_or_default() {
            self.regex_literals.push((id, lit, next));
        }
        let at = (self.file_index(&src.name), Span::from(pat.span()));
        let mut rule = RegexRule::new(source.clone(), role, area, global, at);
        if let Some(tail) = tail.filter(|_| !global) {
            rule.holds = Some(tail.holds);
            rule.spaces = tail.spaces;
            rule.longest = tail.longest;
            self.regex_tails.push((id, tail.suffixes));
        }
        self.regexes.push(rule);
    }

    /// Adds a proximity rule `left .. right` (or `left ..N right`) of `role`'s `area`: each alternative of each side
    /// joins the automaton as an anchor; the scanner pairs them.
    fn add_near(&mut self, src: &Source, p: &Spanned<String>, role: RoleIdx, area: u16) {
        let span: Span = p.span().into();
        let text = p.get_ref();
        let parsed = parse_near(text);
        let (left, right, window) = match parsed {
            Ok(x) => x,
            Err(msg) => {
                self.err(
                    codes::BAD_NEAR,
                    src,
                    span,
                    format!("proximity rule `{text}`: {msg}"),
                    "write two sides around `..` (or `..N`, N words at most between them, 1 to 12): `own~|order~ .. backlog`",
                );
                return;
            }
        };
        let rule = self.near_rules.len() as u32;
        self.hash.write_str(&format!("near|{role}|{area}|{window}"));
        for (side, alternatives) in [(0u8, &left), (1u8, &right)] {
            for alt in alternatives.iter() {
                let group = self.next_group;
                self.next_group += 1;
                // Which side confirms is settled in `finish`, once every language file's common words are known.
                let kind = UseKind::NearAnchor { rule, side, confirm: false };
                self.add_text(src, alt, span, kind, group);
            }
        }
        let at = (self.file_index(&src.name), span);
        self.near_rules.push(NearRule { source: text.clone(), role, area, window, trigger: 0, specificity: 1.0, at });
        self.near_sides.push([left, right]);
    }

    /// How common a literal is likely to be in a posting: a language file's `common_words` ("team", "users") most;
    /// then a single word, the more the shorter it is; a phrase of several words least.
    fn commonness(&self, literal: &str) -> usize {
        if literal.contains(' ') {
            1
        } else if self.common_words.contains(literal) {
            1 << 12
        } else {
            1 << 10usize.saturating_sub(literal.len()).max(1)
        }
    }

    /// An estimate of how often one side of a proximity rule turns up in text: the sum over its alternatives of
    /// their commonest form's [`Builder::commonness`]. The body automaton looks for the rarer side; the other is
    /// looked for only around it.
    fn side_commonness(&self, alternatives: &[String]) -> usize {
        alternatives
            .iter()
            .map(|alt| {
                let inner = alt.trim().trim_start_matches('*').trim_end_matches('*');
                let forms = self.forms(inner).unwrap_or_default();
                forms.iter().map(|f| self.commonness(&normalize_phrase(f))).max().unwrap_or(0)
            })
            .sum()
    }

    fn add_language(&mut self, src: &Source, l: &LanguageSpec) {
        self.file_index(&src.name);
        self.languages.push(l.id.get_ref().clone());
        self.hash.write_str("lang");
        self.hash.write_str(l.id.get_ref());
        let lists: [(&Vec<Spanned<String>>, UseKind); 9] = [
            (&l.background_before, UseKind::BackgroundBefore),
            (&l.background_after, UseKind::BackgroundAfter),
            (&l.negation_before, UseKind::NegationBefore),
            (&l.negation_after, UseKind::NegationAfter),
            (&l.negation_ignore, UseKind::NegationIgnore),
            (&l.boilerplate_headings, UseKind::BoilerplateHeading),
            (&l.content_headings, UseKind::ContentHeading),
            (&l.boilerplate_phrases, UseKind::BoilerplatePhrase),
            (&l.company_phrases, UseKind::CompanyPhrase),
        ];
        for (list, kind) in lists {
            for p in list {
                self.add_phrase(src, p, kind);
            }
        }
        if let Some(t) = &l.titles {
            self.add_title_cues(src, t);
        }
        // Cue lists looked for only where they matter (before a name, in a company sentence, at a sentence's
        // start): common words that would cost every posting's scan if they were in the automaton.
        let side_lists: [(&Vec<Spanned<String>>, &str); 4] = [
            (&l.job_phrases, "job"),
            (&l.other_person_before, "other"),
            (&l.other_person_after, "other-after"),
            (&l.company_sentence_starts, "start"),
        ];
        for (list, what) in side_lists {
            for p in list {
                let w = normalize_phrase(p.get_ref());
                if w.is_empty() {
                    self.err(
                        codes::BAD_PHRASE,
                        src,
                        p.span().into(),
                        format!("empty {what} cue"),
                        "a cue is a word or a few words, e.g. \"you\", \"reports to\"",
                    );
                    continue;
                }
                let into = match what {
                    "job" => &mut self.job_phrases,
                    "other" => &mut self.other_phrases,
                    "other-after" => &mut self.other_after_phrases,
                    _ => &mut self.company_starts,
                };
                if !into.contains(&w) {
                    into.push(w.clone());
                    self.hash.write_str(&format!("{what}|{w}"));
                }
            }
        }
        // Words that tell the scanner which side of a proximity rule to look for first; they change no verdict, so
        // the pack's hash leaves them out.
        for p in &l.common_words {
            let w = normalize_phrase(p.get_ref());
            if w.is_empty() || w.contains(' ') {
                self.err(
                    codes::BAD_PHRASE,
                    src,
                    p.span().into(),
                    format!("common word `{}` is not one word", p.get_ref()),
                    "list single words that most postings use (\"team\", \"users\")",
                );
                continue;
            }
            self.common_words.insert(w);
        }
        if let Some(inf) = &l.inflection {
            for e in &inf.endings {
                let v = e.get_ref().trim().to_lowercase();
                if v.is_empty() || !v.chars().all(char::is_alphabetic) {
                    self.err(
                        codes::BAD_PHRASE,
                        src,
                        e.span().into(),
                        format!("ending `{}` is not a run of letters", e.get_ref()),
                        "endings are letters appended to a word, e.g. \"s\", \"ed\", \"ing\"",
                    );
                } else if !self.endings.contains(&v) {
                    self.hash.write_str(&v);
                    self.endings.push(v);
                }
            }
            for pair in &inf.spellings {
                match pair.get_ref().as_slice() {
                    [a, b] if !a.trim().is_empty() && !b.trim().is_empty() => {
                        let (a, b) = (a.trim().to_lowercase(), b.trim().to_lowercase());
                        self.hash.write_str(&format!("{a}|{b}"));
                        self.spellings.push((a, b));
                    }
                    _ => self.err(
                        codes::BAD_PHRASE,
                        src,
                        pair.span().into(),
                        "a spelling pair needs two non-empty word endings",
                        "write pairs of endings that spell the same word, e.g. [\"ise\", \"ize\"]",
                    ),
                }
            }
        }
        // Each gap is the widest any language file asks for (0 ..= 200 bytes).
        if let Some(v) = self.check_gap(src, l.background_gap.as_ref(), "background_gap") {
            self.background_gap = Some(self.background_gap.map_or(v, |old| old.max(v)));
            self.hash.write_str(&format!("bg{v}"));
        }
        if let Some(v) = self.check_gap(src, l.negation_gap.as_ref(), "negation_gap") {
            self.negation_gap = Some(self.negation_gap.map_or(v, |old| old.max(v)));
            self.hash.write_str(&v.to_string());
        }
    }

    /// A language's title cues: seniority words and noise phrases join the title automaton (as title-only
    /// meanings; joiners are compared with the gaps); noise regexes are kept for titles alone.
    fn add_title_cues(&mut self, src: &Source, t: &TitleCuesSpec) {
        self.hash.write_str("titles");
        for (level, list) in t.seniority.levels() {
            for p in list {
                self.add_phrase(src, p, UseKind::Seniority(level));
            }
        }
        for (list, into) in [(&t.joiners, &mut self.title_joiners), (&t.location_before, &mut self.location_before)] {
            for p in list {
                let w = normalize_phrase(p.get_ref());
                self.hash.write_str(&w);
                if !w.is_empty() && !into.contains(&w) {
                    into.push(w);
                }
            }
        }
        let lists: [(&Vec<Spanned<String>>, UseKind); 5] = [
            (&t.remote, UseKind::TitleNoise(Noise::Remote)),
            (&t.gender, UseKind::TitleNoise(Noise::Gender)),
            (&t.contract, UseKind::TitleNoise(Noise::Contract)),
            (&t.places, UseKind::TitleNoise(Noise::Location)),
            (&t.qualifiers, UseKind::TitleNoise(Noise::Qualifier)),
        ];
        for (list, kind) in lists {
            for p in list {
                self.add_phrase(src, p, kind);
            }
        }
        let patterns: [(&Vec<Spanned<String>>, Noise); 4] = [
            (&t.gender_patterns, Noise::Gender),
            (&t.requisition_patterns, Noise::Requisition),
            (&t.salary_patterns, Noise::Salary),
            (&t.location_patterns, Noise::Location),
        ];
        for (list, kind) in patterns {
            for pat in list {
                let size = match check_regex(pat.get_ref()) {
                    Ok((_, _, size)) => size,
                    Err(msg) => {
                        self.err(
                            codes::BAD_REGEX,
                            src,
                            pat.span().into(),
                            format!("invalid regex: {msg}"),
                            "title patterns use Rust `regex` syntax and run on the lower-cased title",
                        );
                        continue;
                    }
                };
                if size > MAX_REGEX_SIZE {
                    self.err(
                        codes::BAD_REGEX,
                        src,
                        pat.span().into(),
                        format!("regex is too large (about {size} automaton states; the limit is {MAX_REGEX_SIZE})"),
                        "bound repetitions tightly",
                    );
                    continue;
                }
                self.hash.write_str(&format!("title-re|{}|{}", kind.as_str(), pat.get_ref()));
                let at = (self.file_index(&src.name), Span::from(pat.span()));
                self.title_regexes.push((kind, RegexRule::new(pat.get_ref().clone(), 0, 0, true, at)));
            }
        }
    }

    /// Resolves `builds_on` and `[titles] covers` role ids (all roles are known by now) and the per-role settings
    /// `builds_on_share` and `distinguishing_min`.
    fn add_builds_on(&mut self, src: &Source, r: &RoleFile) {
        let Some(me) = self.roles.iter().position(|x| x.id == *r.id.get_ref() && x.file == src.name) else { return };
        let share = r.builds_on_share.as_ref();
        if let Some(v) =
            share.and_then(|x| self.in_range(src, x, 0.0..=1.0, "builds_on_share", "a share runs from 0.0 to 1.0"))
        {
            self.roles[me].builds_on_share = v;
            self.hash.write_u64(v.to_bits());
        }
        let hint = "it runs from 0.1 to 5.0 (0.6 is about one specific phrase)";
        let min = r.distinguishing_min.as_ref();
        if let Some(v) = min.and_then(|x| self.in_range(src, x, 0.1..=5.0, "distinguishing_min", hint)) {
            self.roles[me].distinguishing_min = v;
            self.hash.write_str("distinguishing_min");
            self.hash.write_u64(v.to_bits());
        }
        for a in &r.distinguishing_with {
            match self.roles[me].areas.iter().position(|x| !x.background && x.id == *a.get_ref()) {
                // Listed twice, an area still counts once.
                Some(ai) if self.roles[me].distinguishing_with.contains(&(ai as u16)) => {}
                Some(ai) => {
                    self.hash.write_str(&format!("distinguishing_with|{me}|{ai}"));
                    self.roles[me].distinguishing_with.push(ai as u16);
                }
                None => {
                    let known: Vec<&str> =
                        self.roles[me].areas.iter().filter(|x| !x.background).map(|x| x.id.as_str()).collect();
                    self.err(
                        codes::UNKNOWN_AREA,
                        src,
                        a.span().into(),
                        format!("`distinguishing_with` names `{}`, which is not an area of this role", a.get_ref()),
                        &format!("this role's areas: {}", known.join(", ")),
                    );
                }
            }
        }
        for i in self.other_roles(src, me, &r.builds_on, "`builds_on`") {
            self.hash.write_str(&format!("builds_on|{me}|{i}"));
            self.roles[me].builds_on.push(i);
        }
        if r.titles.as_ref().is_some_and(|t| t.umbrella) {
            self.hash.write_str(&format!("title_umbrella|{me}"));
            self.roles[me].title_umbrella = true;
        }
        let covers = r.titles.iter().flat_map(|t| &t.covers);
        for i in self.other_roles(src, me, covers, "`[titles] covers`") {
            self.hash.write_str(&format!("title_covers|{me}|{i}"));
            self.roles[me].title_covers.push(i);
        }
    }

    /// Role `me`'s references to other roles of the pack (`builds_on`, `[titles] covers`) as indexes; an id that
    /// names no other role is an `UNKNOWN_ROLE` error at its place, and is left out.
    fn other_roles<'a>(
        &mut self,
        src: &Source,
        me: usize,
        ids: impl IntoIterator<Item = &'a Spanned<String>>,
        field: &str,
    ) -> Vec<RoleIdx> {
        let mut out = Vec::new();
        for id in ids {
            match self.roles.iter().position(|x| x.id == *id.get_ref()) {
                Some(i) if i != me => out.push(i as RoleIdx),
                _ => self.err(
                    codes::UNKNOWN_ROLE,
                    src,
                    id.span().into(),
                    format!("{field} names unknown role `{}`", id.get_ref()),
                    "name another role id of the pack",
                ),
            }
        }
        out
    }

    fn add_examples(&mut self, src: &Source, r: &RoleFile) {
        for ex in r.titles.iter().flat_map(|t| &t.examples) {
            let seniority = match &ex.seniority {
                None => None,
                Some(s) => match Seniority::parse(s.get_ref()) {
                    Some(l) => Some(l),
                    None => {
                        self.err(
                            codes::BAD_PHRASE,
                            src,
                            s.span().into(),
                            format!("unknown seniority `{}`", s.get_ref()),
                            "use one of intern, junior, mid, senior, staff, principal, lead, head, director, vp, chief",
                        );
                        None
                    }
                },
            };
            self.title_examples.push(TitleExample {
                file: src.name.clone(),
                line: crate::diag::line_col(&src.text, ex.title.span().start).0,
                span: ex.title.span().into(),
                title: ex.title.get_ref().clone(),
                role: r.id.get_ref().clone(),
                seniority,
            });
        }
        for ex in &r.examples {
            let line = crate::diag::line_col(&src.text, ex.text.span().start).0;
            for id in [&ex.expect, &ex.reject].into_iter().flatten() {
                if id.get_ref() != "other" && !self.role_ids.contains_key(id.get_ref()) {
                    self.err(
                        codes::UNKNOWN_ROLE,
                        src,
                        id.span().into(),
                        format!("example names unknown role `{}`", id.get_ref()),
                        "name a role id of the pack, or `other` for a posting that fits no role",
                    );
                }
            }
            if ex.expect.is_none() && ex.reject.is_none() {
                self.err(
                    codes::EXAMPLE_WITHOUT_EXPECTATION,
                    src,
                    ex.text.span().into(),
                    "example has neither `expect` nor `reject`",
                    "add `expect = \"role-id\"` or `reject = \"role-id\"`",
                );
            }
            self.examples.push(Example {
                file: src.name.clone(),
                line,
                span: ex.text.span().into(),
                expect: ex.expect.as_ref().map(|s| s.get_ref().clone()),
                reject: ex.reject.as_ref().map(|s| s.get_ref().clone()),
                text: ex.text.get_ref().clone(),
                evidence: ex.evidence.iter().map(|s| s.get_ref().clone()).collect(),
            });
        }
    }

    fn finish(mut self) -> Result<Compiled, Vec<Diagnostic>> {
        if self.literals.len() > MAX_LITERALS {
            return Err(vec![Diagnostic::error(
                codes::PACK_LIMIT,
                self.files.first().map_or("<pack>", String::as_str),
                "",
                None,
                format!("the pack has {} distinct phrases; the limit is {MAX_LITERALS}", self.literals.len()),
            )
            .with_hint(
                "keep the phrases that signal a responsibility; a generated list of every word form is too much",
            )]);
        }
        // Regex prefix literals join the automaton; each confirms its regexes where it is found.
        let regex_literals = std::mem::take(&mut self.regex_literals);
        let mut next_bytes = HashMap::new();
        for (rid, lit, next) in &regex_literals {
            let i = self.literal(lit);
            if !self.literals[i].regexes.contains(rid) {
                self.literals[i].regexes.push(*rid);
            }
            next_bytes.entry((i, *rid)).or_insert(NextBytes::EMPTY).union(*next);
        }
        // So do the literals that end a regex's matches: where they stand bounds where its tries can match. Of each
        // suffix, the walk looks for a part already in the automaton, or else the shortest that is not a common
        // word: the walk would stop at each of those for nothing, and a regex that needs one goes without.
        for (rid, suffixes) in std::mem::take(&mut self.regex_tails) {
            let mut tails: Vec<&str> = Vec::new();
            let mut common = false;
            for parts in &suffixes {
                let part = parts
                    .iter()
                    .find(|p| self.literal_ids.contains_key(p.as_str()))
                    .or_else(|| parts.iter().find(|p| !self.common_words.contains(p.as_str())));
                let Some(part) = part else {
                    common = true;
                    break;
                };
                if !tails.contains(&part.as_str()) {
                    tails.push(part);
                }
            }
            // A try waits for a tail found after its literal: one inside a prefix literal would come too early.
            let lo = regex_literals.partition_point(|l| l.0 < rid);
            let early = regex_literals[lo..]
                .iter()
                .take_while(|l| l.0 == rid)
                .any(|(_, p, _)| tails.iter().any(|t| p.contains(t)));
            if common || tails.len() > MAX_TAIL_LITERALS || early {
                self.regexes[rid as usize].holds = None;
                continue;
            }
            for t in tails {
                let i = self.literal(t);
                if !self.literals[i].tails.contains(&rid) {
                    self.literals[i].tails.push(rid);
                }
            }
        }
        // The literal table is complete: its index goes, and every list gives back its growth room before the
        // automata are built in the memory freed (the rule set lives as long as the run).
        self.literal_ids = HashMap::default();
        self.literals.shrink_to_fit();
        for p in &mut self.literals {
            p.uses.shrink_to_fit();
            p.regexes.shrink_to_fit();
            p.tails.shrink_to_fit();
        }
        // Specificity: how many roles list each literal as responsibility evidence.
        for p in &mut self.literals {
            let mut roles: Vec<RoleIdx> = p
                .uses
                .iter()
                .filter_map(|u| match u.kind {
                    UseKind::Responsibility { role, .. } => Some(role),
                    _ => None,
                })
                .collect();
            roles.sort_unstable();
            roles.dedup();
            let k = roles.len().max(1) as f64;
            for u in &mut p.uses {
                u.specificity = k.powf(-SHARE_EXPONENT);
            }
        }
        // Each proximity rule's rarer side triggers it; the other confirms.
        let sides = std::mem::take(&mut self.near_sides);
        let triggers: Vec<u8> = sides
            .iter()
            .map(|[left, right]| u8::from(self.side_commonness(right) < self.side_commonness(left)))
            .collect();
        for (r, &t) in self.near_rules.iter_mut().zip(&triggers) {
            r.trigger = t;
        }
        for p in &mut self.literals {
            for u in &mut p.uses {
                if let UseKind::NearAnchor { rule, side, ref mut confirm } = u.kind {
                    *confirm = side != triggers[rule as usize];
                }
            }
        }
        // A proximity rule that several roles write alike is shared evidence too.
        let mut near_roles: HashMap<String, Vec<RoleIdx>> = HashMap::new();
        for r in &self.near_rules {
            let key = r.source.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
            let roles = near_roles.entry(key).or_default();
            if !roles.contains(&r.role) {
                roles.push(r.role);
            }
        }
        for r in &mut self.near_rules {
            let key = r.source.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
            r.specificity = (near_roles[&key].len() as f64).powf(-SHARE_EXPONENT);
        }
        // Two automata over the one literal table: a body literal is one a posting's text can use (a proximity
        // rule's confirming side included); a title literal has a title meaning. A name is both.
        let confirms = |u: &Use| matches!(u.kind, UseKind::NearAnchor { confirm: true, .. });
        let is_body =
            |p: &Pattern| !p.regexes.is_empty() || !p.tails.is_empty() || p.uses.iter().any(|u| !u.kind.is_title());
        let is_title = |p: &Pattern| p.uses.iter().any(|u| u.kind.is_title());
        let is_confirm = |p: &Pattern| p.uses.iter().any(confirms);
        let confirm_only = |p: &Pattern| p.regexes.is_empty() && !p.uses.is_empty() && p.uses.iter().all(confirms);
        // The body literals that only confirm come first, then those that confirm and do more, then the rest: a
        // body pattern's number says whether the walk keeps its match aside for the stretches (and the confirming
        // literals are numbered alike in both tables).
        let mut body_literals: Vec<u32> =
            (0..self.literals.len() as u32).filter(|&i| is_body(&self.literals[i as usize])).collect();
        body_literals.sort_by_cached_key(|&i| {
            let p = &self.literals[i as usize];
            (!confirm_only(p), !is_confirm(p), i)
        });
        let confirm_literals: Vec<u32> =
            body_literals.iter().copied().take_while(|&i| is_confirm(&self.literals[i as usize])).collect();
        let confirm_only_count =
            body_literals.iter().take_while(|&&i| confirm_only(&self.literals[i as usize])).count();
        let title_literals: Vec<u32> =
            (0..self.literals.len() as u32).filter(|&i| is_title(&self.literals[i as usize])).collect();
        let too_large = |e: &dyn std::fmt::Display| {
            vec![Diagnostic::error(codes::EMPTY_PACK, "<pack>", "", None, format!("cannot build the automaton: {e}"))
                .with_hint("the pack is too large for one automaton; split it")]
        };
        let text = |&i: &u32| self.literals[i as usize].text.as_str();
        // The title automaton runs over titles only, through the crate's own search; the others are walked by the
        // scan (`automaton.rs`).
        let build = |ids: &[u32]| {
            AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .build(ids.iter().map(text))
                .map_err(|e| too_large(&e))
        };
        // A literal is closed when every use of it needs a word boundary before it: the walk then leaves out its
        // matches inside words, which the scan would drop. Likewise at the end, where every use needs a boundary
        // after it and no regex starts with it: such a match ending inside a word does nothing. (A regex's tail
        // starts a word, and counts wherever it ends.)
        let closed = |k: usize| self.literals[body_literals[k] as usize].uses.iter().all(|u| !u.left_open);
        let ends = |k: usize| {
            let p = &self.literals[body_literals[k] as usize];
            p.uses.iter().all(|u| !u.right_open) && p.regexes.is_empty()
        };
        let automaton = WordLiterals::new(body_literals.iter().map(text), closed, ends).map_err(|e| too_large(&e))?;
        let title_automaton = build(&title_literals)?;
        // Each rule's own confirming side bounds the stretches around its trigger anchors (a pack-wide bound would
        // make every rule's stretches as wide as its longest partner needs).
        let mut near_partners = vec![(0usize, 0usize); self.near_rules.len()];
        let rule_words = self.near_rules.len().div_ceil(64);
        let mut confirm_rules = vec![0u64; confirm_literals.len() * rule_words];
        for (k, &i) in confirm_literals.iter().enumerate() {
            let p = &self.literals[i as usize];
            for u in &p.uses {
                if let UseKind::NearAnchor { rule, confirm: true, .. } = u.kind {
                    let (words, len) = &mut near_partners[rule as usize];
                    *words = (*words).max(p.text.split(' ').count());
                    *len = (*len).max(p.text.len());
                    confirm_rules[k * rule_words + rule as usize / 64] |= 1 << (rule % 64);
                }
            }
        }
        let warnings: Vec<Diagnostic> = self.diags.into_iter().filter(|d| d.severity == Severity::Warning).collect();
        let (mut actions, mut meanings, mut candidates, mut tail_regexes) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (i, p) in self.literals.iter().enumerate() {
            actions.push(Action {
                literal: actions.len() as u32,
                first_use: meanings.len() as u32,
                uses: p.uses.len() as u32,
                first_regex: candidates.len() as u32,
                regexes: p.regexes.len() as u32,
                first_tail: tail_regexes.len() as u32,
                tails: p.tails.len() as u32,
                closed_left: p.uses.iter().all(|u| !u.left_open),
                closed_right: p.uses.iter().all(|u| !u.right_open),
            });
            tail_regexes.extend(&p.tails);
            meanings.extend(p.uses.iter().map(Meaning::from));
            candidates.extend(p.regexes.iter().map(|&regex| Candidate {
                regex,
                next: next_bytes.get(&(i, regex)).copied().unwrap_or(NextBytes::ANY),
            }));
        }
        Ok(Compiled {
            rules: RuleSet {
                area_offsets: std::iter::once(0)
                    .chain(self.roles.iter().scan(0, |n, r| {
                        *n += r.areas.len();
                        Some(*n)
                    }))
                    .collect(),
                roles: self.roles,
                patterns: self.literals,
                automaton,
                body_actions: body_literals.iter().map(|&l| actions[l as usize]).collect(),
                title_automaton,
                title_actions: title_literals.iter().map(|&l| actions[l as usize]).collect(),
                confirm_count: confirm_literals.len(),
                confirm_only_count,
                confirm_rules,
                near_partners,
                meanings,
                candidates,
                tail_regexes,
                regexes: self.regexes,
                near_rules: self.near_rules,
                job_automaton: side_automaton(&self.job_phrases),
                other_automaton: side_automaton(&self.other_phrases),
                other_after_automaton: side_automaton(&self.other_after_phrases),
                company_starts: self.company_starts,
                global_regexes: self.global_regexes,
                title_regexes: self.title_regexes,
                title_noise_any: std::sync::OnceLock::new(),
                title_examples: self.title_examples,
                files: self.files,
                title_joiners: self.title_joiners,
                location_before: self.location_before,
                negation_gap: self.negation_gap.unwrap_or(DEFAULT_NEGATION_GAP),
                background_gap: self.background_gap.unwrap_or(DEFAULT_BACKGROUND_GAP),
                examples: self.examples,
                hash: self.hash.hex(),
                languages: self.languages,
                phrase_count: self.phrase_count,
            },
            warnings,
        })
    }
}

/// An automaton over a cue list looked for outside the body scan (`None` for an empty list).
fn side_automaton(phrases: &[String]) -> Option<Literals> {
    match phrases.is_empty() {
        true => None,
        false => Literals::ascii_case_insensitive(phrases).ok(),
    }
}

/// `word` with `ending` appended by the spelling rules of `[language.inflection]` (see [`rulefile::InflectionSpec`]):
/// one form, or two when a short word's last consonant may double ("plan" + "ing": "planing" and "planning").
fn inflect(word: &str, ending: &str) -> Vec<String> {
    let vowel = |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u');
    let chars: Vec<char> = word.chars().collect();
    let n = chars.len();
    let Some(&last) = chars.last() else { return Vec::new() };
    let first = ending.chars().next().unwrap_or('s');
    let sibilant = word.ends_with('s')
        || word.ends_with('x')
        || word.ends_with('z')
        || word.ends_with("ch")
        || word.ends_with("sh");
    // "s" after a hissing sound is "es" ("processes"); "es" only follows one.
    if (ending == "s" && sibilant) || (ending == "es" && !sibilant) {
        return Vec::new();
    }
    // A consonant + y takes "ie" before s and e- endings: "apply" → "applies", "applied".
    if last == 'y' && n >= 2 && !vowel(chars[n - 2]) && (ending == "s" || first == 'e') {
        let stem: String = chars[..n - 1].iter().collect();
        let rest = if ending == "s" { "s" } else { &ending[1..] };
        return vec![format!("{stem}ie{rest}")];
    }
    // "-ate" nouns in "-ation": "mitigate" → "mitigation", "automate" → "automation".
    if ending.starts_with("at") && word.ends_with("ate") && n > 3 {
        return vec![format!("{}{ending}", &word[..word.len() - 3])];
    }
    if vowel(first) || first == 'y' {
        // A silent final e goes before a vowel: "manage" → "managing" (not "agree" → "agreing").
        if last == 'e' && n >= 3 && chars[n - 2] != 'e' {
            let stem: String = chars[..n - 1].iter().collect();
            return vec![format!("{stem}{ending}")];
        }
        // consonant-vowel-consonant: the last consonant may double ("plan" → "planned"); both forms are kept, the
        // wrong one never occurs in text.
        if n >= 3 && !vowel(last) && !matches!(last, 'w' | 'x' | 'y') && vowel(chars[n - 2]) && !vowel(chars[n - 3]) {
            return vec![format!("{word}{ending}"), format!("{word}{last}{ending}")];
        }
    }
    vec![format!("{word}{ending}")]
}

/// Parses a proximity rule: `left .. right` or `left ..N right`, each side alternatives split by `|`.
fn parse_near(text: &str) -> Result<(Vec<String>, Vec<String>, u8), String> {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let dots: Vec<usize> = (0..tokens.len()).filter(|&i| tokens[i].starts_with("..")).collect();
    let [at] = dots[..] else {
        return Err(if dots.is_empty() { "no `..` between its two sides".into() } else { "more than one `..`".into() });
    };
    let window = match &tokens[at][2..] {
        "" => DEFAULT_NEAR_WINDOW,
        w => match w.parse::<u8>() {
            Ok(n) if (1..=MAX_NEAR_WINDOW).contains(&n) => n,
            _ => return Err(format!("`{}`: the window is a number of words from 1 to {MAX_NEAR_WINDOW}", tokens[at])),
        },
    };
    let side = |words: &[&str]| -> Result<Vec<String>, String> {
        let joined = words.join(" ");
        let alternatives: Vec<String> = joined.split('|').map(|a| a.trim().to_string()).collect();
        if joined.trim().is_empty() || alternatives.iter().any(String::is_empty) {
            return Err("each side needs one or more phrases, separated by `|`".into());
        }
        Ok(alternatives)
    };
    let (left, right) = (side(&tokens[..at])?, side(&tokens[at + 1..])?);
    if left.iter().any(|l| right.contains(l)) {
        return Err("the same phrase stands on both sides".into());
    }
    Ok((left, right, window))
}

/// The finite set of prefix literals of a regex, cut to their leading word (normalised, each at least
/// `MIN_REGEX_LITERAL` bytes), each with the bytes that can follow it in a match, or `None` when the regex has no
/// usable literal prefix.
fn prefix_literals(hir: &regex_syntax::hir::Hir) -> Option<Vec<(String, NextBytes)>> {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    let mut ex = Extractor::new();
    ex.kind(ExtractKind::Prefix).limit_total(64);
    let seq = ex.extract(hir);
    let lits = seq.literals()?;
    if lits.is_empty() {
        return None;
    }
    let mut out: Vec<(String, NextBytes)> = Vec::new();
    for l in lits {
        let raw = std::str::from_utf8(l.as_bytes()).ok()?;
        let s = normalize_phrase(raw);
        // Only the leading word (or words, to reach the minimum length): a regex's alternatives multiply into
        // thousands of long literals otherwise, and the automaton would cost more to build than it saves.
        let mut cut = 0;
        for (i, _) in s.match_indices(' ').chain(std::iter::once((s.len(), ""))) {
            cut = i;
            if i >= MIN_REGEX_LITERAL {
                break;
            }
        }
        // Keep the space that ends the leading word when the regex goes on past it: "manage " is found before
        // "manages the team" but not inside "management" or "manager", where the regex could not match anyway.
        // (Still a prefix of every match, so the candidates stay complete; most tries that would fail are gone.)
        let goes_on = cut < s.len() || (cut == s.len() && raw.ends_with(' '));
        let s = if goes_on { format!("{} ", &s[..cut]) } else { s[..cut].to_string() };
        if s.len() < MIN_REGEX_LITERAL {
            return None;
        }
        // Every match starts with `raw`: when the cut literal is a proper prefix of it, the byte after the cut is
        // known. Otherwise (the regex may end there, or normalising changed the literal) anything may follow.
        let mut next = NextBytes::EMPTY;
        match raw.as_bytes().strip_prefix(s.as_bytes()) {
            Some([b, ..]) => next.insert(*b),
            _ => next = NextBytes::ANY,
        }
        match out.iter_mut().find(|(l, _)| *l == s) {
            Some((_, n)) => n.union(next),
            None => out.push((s, next)),
        }
    }
    Some(out)
}

/// What every match of a regex is made of: it ends with one of `suffixes`, holds no byte outside `holds`, at most
/// `spaces` spaces and at most `longest` bytes ([`u32::MAX`]: no bound). Each suffix is given as its parts that start a word (at least
/// [`MIN_TAIL_LITERAL`] bytes; a byte that is not a word byte comes before each in any match, so the walk finds it
/// as a closed phrase), shortest first: any of them ends the match too.
#[derive(Clone)]
struct Tail {
    suffixes: Vec<Vec<String>>,
    holds: NextBytes,
    spaces: u32,
    longest: u32,
}

/// The [`Tail`] of a regex, or `None` when its matches may end otherwise (an unbounded class, too many
/// alternatives), or a literal is short (found too often to tell anything) or not as the normalised text spells it.
/// The scan skips a try when no such literal stands ahead of its place before a byte the regex cannot hold: most
/// tries of the pack's regexes ("manage … team of … engineers") fail for that reason.
fn tail(hir: &regex_syntax::hir::Hir) -> Option<Tail> {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    use regex_syntax::hir::{Class, Hir, HirKind};
    let mut ex = Extractor::new();
    // Only a suffix's last words are looked for: short literals keep the alternatives' cross product small (and
    // their word starts), where the default limits would cut it to words without what comes before them.
    ex.kind(ExtractKind::Suffix).limit_total(128).limit_literal_len(16);
    let seq = ex.extract(hir);
    // Truncated to their last bytes, many of the literals are alike.
    let mut raws: Vec<&[u8]> = seq.literals()?.iter().map(|l| l.as_bytes().trim_ascii_end()).collect();
    raws.sort_unstable();
    raws.dedup();
    if raws.is_empty() {
        return None;
    }
    // As the normalised text spells it (the fast path of `normalize_phrase`, without a copy), and findable.
    let spelt = |p: &str| {
        let plain = p.bytes().all(|c| {
            c.is_ascii() && !matches!(c, b'A'..=b'Z' | b'-' | b'<' | b'&' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
        }) && !p.contains("  ");
        (plain || normalize_phrase(p) == p) && !p.bytes().any(crate::automaton::is_reserved)
    };
    let mut suffixes: Vec<Vec<String>> = Vec::with_capacity(raws.len());
    for bytes in raws {
        let parts: Vec<String> = (1..=bytes.len().saturating_sub(MIN_TAIL_LITERAL))
            .rev()
            .filter(|&i| !crate::automaton::is_word(bytes[i - 1]) && crate::automaton::is_word(bytes[i]))
            .map_while(|i| std::str::from_utf8(&bytes[i..]).ok().filter(|p| spelt(p)))
            .map(str::to_string)
            .collect();
        if parts.is_empty() {
            return None;
        }
        suffixes.push(parts);
    }
    fn collect(h: &Hir, holds: &mut NextBytes) {
        match h.kind() {
            HirKind::Empty | HirKind::Look(_) => {}
            HirKind::Literal(l) => l.0.iter().for_each(|&b| holds.insert(b)),
            HirKind::Class(Class::Unicode(c)) => {
                for r in c.ranges() {
                    for ch in r.start()..=r.end().min('\u{7f}') {
                        holds.insert(ch as u8);
                    }
                    // Any character beyond ASCII: its UTF-8 bytes.
                    if r.end() >= '\u{80}' {
                        (0x80..=0xff).for_each(|b| holds.insert(b));
                    }
                }
            }
            HirKind::Class(Class::Bytes(c)) => {
                for r in c.ranges() {
                    (r.start()..=r.end()).for_each(|b| holds.insert(b));
                }
            }
            HirKind::Repetition(r) => collect(&r.sub, holds),
            HirKind::Capture(c) => collect(&c.sub, holds),
            HirKind::Concat(v) | HirKind::Alternation(v) => v.iter().for_each(|x| collect(x, holds)),
        }
    }
    let mut holds = NextBytes::EMPTY;
    collect(hir, &mut holds);
    let longest = hir.properties().maximum_len().map_or(u32::MAX, |n| u32::try_from(n).unwrap_or(u32::MAX));
    Some(Tail { suffixes, holds, spaces: most_spaces(hir).unwrap_or(u32::MAX), longest })
}

/// The most spaces a match of `hir` can hold, or `None` when a repetition without an upper bound can repeat one
/// ("manage (?:[a-z]+ ){0,3}team" holds at most 4; "lead(?: [a-z]+)* team" has no bound). The normalised text a
/// regex runs on has one space between words, so this bounds the words a match can span.
fn most_spaces(hir: &regex_syntax::hir::Hir) -> Option<u32> {
    use regex_syntax::hir::{Class, HirKind};
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Some(0),
        HirKind::Literal(l) => Some(l.0.iter().filter(|&&b| b == b' ').count() as u32),
        // A class matches one character: a space at most.
        HirKind::Class(Class::Unicode(c)) => {
            Some(u32::from(c.ranges().iter().any(|r| r.start() <= ' ' && ' ' <= r.end())))
        }
        HirKind::Class(Class::Bytes(c)) => {
            Some(u32::from(c.ranges().iter().any(|r| r.start() <= b' ' && b' ' <= r.end())))
        }
        HirKind::Repetition(r) => match (most_spaces(&r.sub)?, r.max) {
            (0, _) => Some(0),
            (n, Some(max)) => n.checked_mul(max),
            (_, None) => None,
        },
        HirKind::Capture(c) => most_spaces(&c.sub),
        HirKind::Concat(v) => v.iter().try_fold(0u32, |n, x| n.checked_add(most_spaces(x)?)),
        HirKind::Alternation(v) => v.iter().try_fold(0u32, |n, x| Some(n.max(most_spaces(x)?))),
    }
}

/// A cheap upper estimate of the automaton states a regex compiles to (literal bytes, class ranges times UTF-8
/// length, repetitions multiplied out), so size explosions are caught when the pack loads, without compiling.
fn estimated_size(h: &regex_syntax::hir::Hir) -> u64 {
    use regex_syntax::hir::{Class, HirKind};
    match h.kind() {
        HirKind::Empty | HirKind::Look(_) => 1,
        HirKind::Literal(l) => l.0.len() as u64,
        HirKind::Class(Class::Unicode(c)) => c.ranges().len() as u64 * 4,
        HirKind::Class(Class::Bytes(c)) => c.ranges().len() as u64,
        HirKind::Repetition(r) => {
            let n = u64::from(r.max.unwrap_or(r.min).max(r.min).max(1));
            estimated_size(&r.sub).saturating_mul(n + 1)
        }
        HirKind::Capture(c) => estimated_size(&c.sub),
        HirKind::Concat(v) | HirKind::Alternation(v) => v.iter().map(estimated_size).fold(0, u64::saturating_add),
    }
}

fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && s.split('-')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
}

/// FNV-1a, 64 bits: a stable hash for the pack identity (std's hasher may change between Rust versions), and a
/// fast one for the compiler's maps of short strings.
#[derive(Debug)]
struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

type FnvBuild = std::hash::BuildHasherDefault<Fnv>;

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn write_str(&mut self, s: &str) {
        std::hash::Hasher::write(self, s.as_bytes());
        std::hash::Hasher::write(self, &[0xff]);
    }

    fn write_u64(&mut self, v: u64) {
        std::hash::Hasher::write(self, &v.to_le_bytes());
    }

    fn write_kind(&mut self, k: UseKind) {
        let (tag, a, b) = match k {
            UseKind::Responsibility { role, area } => (0, role, area),
            UseKind::Name { role } => (1, role, 0),
            UseKind::Negative { role } => (2, role, 0),
            UseKind::NegationBefore => (3, 0, 0),
            UseKind::NegationAfter => (4, 0, 0),
            UseKind::NegationIgnore => (5, 0, 0),
            UseKind::BoilerplateHeading => (6, 0, 0),
            UseKind::ContentHeading => (7, 0, 0),
            UseKind::BoilerplatePhrase => (8, 0, 0),
            UseKind::Title { role } => (10, role, 0),
            UseKind::Seniority(l) => (11, l as u16, 0),
            UseKind::TitleNoise(n) => (12, n as u16, 0),
            UseKind::BackgroundBefore => (13, 0, 0),
            UseKind::CompanyPhrase => (16, 0, 0),
            UseKind::TitleField { role } => (17, role, 0),
            UseKind::TitleVague { role } => (18, role, 0),
            UseKind::BackgroundAfter => (14, 0, 0),
            // Which side confirms is derived from the rule's text, so it adds nothing to the hash.
            UseKind::NearAnchor { rule, side, confirm: _ } => {
                self.write_u64(15 | u64::from(side) << 8 | u64::from(rule) << 24);
                return;
            }
        };
        self.write_u64(tag | u64::from(a) << 8 | u64::from(b) << 24);
    }

    fn hex(&self) -> String {
        format!("{:012x}", self.0 >> 16)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn src(name: &str, text: &str) -> Source {
        Source { name: name.into(), text: text.into() }
    }

    const ROLE_A: &str = r#"
id = "role-a"
name = "Role A"
family = "fam"
summary = "a"
names = ["role a"]
[[areas]]
id = "one"
name = "One"
weight = 1.0
phrases = ["shared phrase", "only a", "roadmap*"]
patterns = ['own(?:s|ing)? the backlog']
"#;
    const ROLE_B: &str = r#"
id = "role-b"
name = "Role B"
family = "fam"
summary = "b"
[[areas]]
id = "one"
name = "One"
weight = 2
phrases = ["Shared  Phrase", "only-b"]
"#;

    #[test]
    fn title_covers_resolves_role_ids_and_names_an_unknown_one() {
        let covering = format!("{ROLE_A}[titles]\ncovers = [\"role-b\"]\n");
        let c = compile(&[src("a.toml", &covering), src("b.toml", ROLE_B)]).unwrap();
        let b = c.rules.role_index("role-b").unwrap();
        assert_eq!(c.rules.roles()[c.rules.role_index("role-a").unwrap() as usize].title_covers, vec![b]);
        let bad = format!("{ROLE_A}[titles]\ncovers = [\"role-x\"]\n");
        let diags = compile(&[src("a.toml", &bad), src("b.toml", ROLE_B)]).unwrap_err();
        let d = diags.iter().find(|d| d.code == codes::UNKNOWN_ROLE).expect("unknown role");
        assert!(d.message.contains("covers") && d.message.contains("role-x"), "{}", d.message);
        assert_eq!((d.file.as_str(), d.line), ("a.toml", ROLE_A.lines().count() + 2));
    }

    #[test]
    fn shared_literals_are_deduplicated_and_less_specific() {
        let c = compile(&[src("a.toml", ROLE_A), src("b.toml", ROLE_B)]).unwrap();
        let rs = c.rules;
        let shared = rs.patterns.iter().find(|p| p.text == "shared phrase").unwrap();
        assert_eq!(shared.uses.len(), 2);
        assert!((shared.uses[0].specificity - 0.5f64.sqrt()).abs() < 1e-9);
        let only = rs.patterns.iter().find(|p| p.text == "only a").unwrap();
        assert_eq!(only.uses[0].specificity, 1.0);
        assert!(rs.patterns.iter().any(|p| p.text == "only b"), "hyphen normalised to space");
        let road = rs.patterns.iter().find(|p| p.text == "roadmap").unwrap();
        assert!(road.uses[0].right_open && !road.uses[0].left_open);
        let own = rs.patterns.iter().find(|p| p.text == "own ").unwrap();
        assert_eq!(own.regexes, vec![0]);
        assert_eq!(rs.hash().len(), 12);
    }

    #[test]
    fn hash_is_stable_and_content_sensitive() {
        let a = compile(&[src("a.toml", ROLE_A)]).unwrap().rules.hash().to_string();
        let a2 = compile(&[src("elsewhere/a.toml", ROLE_A)]).unwrap().rules.hash().to_string();
        let b = compile(&[src("a.toml", &ROLE_A.replace("only a", "only c"))]).unwrap().rules.hash().to_string();
        assert_eq!(a, a2, "the hash depends on content, not paths");
        assert_ne!(a, b);
    }

    #[test]
    fn reports_every_problem_at_once() {
        let bad = r#"
id = "Bad_Id"
name = "x"
family = "fam"
summary = "s"
[[areas]]
id = "one"
name = "One"
weight = 7.5
phrases = []
[[areas]]
id = "two"
name = "Two"
weight = 1.0
phrases = ["*"]
patterns = ['own(s the backlog']
[[examples]]
expect = "no-such-role"
text = "hello"
"#;
        let diags = compile(&[src("bad.toml", bad), src("a.toml", ROLE_A), src("a2.toml", ROLE_A)]).unwrap_err();
        let codes: Vec<&str> = diags.iter().filter(|d| d.is_error()).map(|d| d.code).collect();
        for want in [
            codes::BAD_ID,
            codes::BAD_WEIGHT,
            codes::EMPTY_AREA,
            codes::BAD_PHRASE,
            codes::BAD_REGEX,
            codes::UNKNOWN_ROLE,
            codes::DUPLICATE_ID,
        ] {
            assert!(codes.contains(&want), "missing {want} in {codes:?}");
        }
        let w = diags.iter().find(|d| d.code == codes::BAD_WEIGHT).unwrap();
        assert_eq!((w.file.as_str(), w.line, w.col), ("bad.toml", 9, 10));
        let dup = diags.iter().find(|d| d.code == codes::DUPLICATE_ID).unwrap();
        assert_eq!(dup.file, "a2.toml");
        assert!(dup.message.contains("a.toml"), "{}", dup.message);
    }

    #[test]
    fn syntax_and_schema_errors_of_several_files_all_reported() {
        let diags =
            compile(&[src("x.toml", "id = "), src("y.toml", &ROLE_A.replace("summary", "sumary"))]).unwrap_err();
        assert!(diags.iter().any(|d| d.code == codes::TOML_SYNTAX && d.file == "x.toml"));
        assert!(diags.iter().any(|d| d.code == codes::SCHEMA && d.file == "y.toml"));
    }

    #[test]
    fn regex_without_literal_is_a_warning_and_runs_globally() {
        let text = ROLE_B.replace("phrases = [\"Shared  Phrase\", \"only-b\"]", "patterns = ['(?:a|b)+c']");
        let c = compile(&[src("b.toml", &text)]).unwrap();
        assert_eq!(c.warnings.len(), 1);
        assert_eq!(c.warnings[0].code, codes::REGEX_NO_LITERAL);
        assert_eq!(c.rules.global_regexes, vec![0]);
    }

    #[test]
    fn exploding_regex_is_a_diagnostic() {
        let text = ROLE_B.replace("phrases = [\"Shared  Phrase\", \"only-b\"]", r"patterns = ['abc\w{1000}\w{1000}']");
        let diags = compile(&[src("b.toml", &text)]).unwrap_err();
        assert_eq!(diags[0].code, codes::BAD_REGEX);
    }

    #[test]
    fn empty_pack_is_an_error() {
        let diags = compile(&[]).unwrap_err();
        assert_eq!(diags[0].code, codes::EMPTY_PACK);
    }

    #[test]
    fn words_inflect_by_the_language_rules() {
        let b = Builder {
            endings: ["s", "es", "ed", "ing", "ation"].map(String::from).to_vec(),
            spellings: vec![("ise".into(), "ize".into())],
            ..Builder::default()
        };
        let forms = |w: &str| b.word_forms(w);
        let p = forms("prioritise");
        for want in [
            "prioritise",
            "prioritises",
            "prioritised",
            "prioritising",
            "prioritisation",
            "prioritize",
            "prioritizing",
            "prioritization",
        ] {
            assert!(p.contains(&want.to_string()), "{want} in {p:?}");
        }
        assert!(!p.iter().any(|f| f.contains("ee") || f.ends_with("eing")), "a silent e goes: {p:?}");
        let plan = forms("plan");
        assert!(
            plan.contains(&"planning".into()) && plan.contains(&"planned".into()) && plan.contains(&"plans".into())
        );
        let apply = forms("apply");
        assert!(
            apply.contains(&"applies".into())
                && apply.contains(&"applied".into())
                && apply.contains(&"applying".into())
        );
        let process = forms("process");
        assert!(process.contains(&"processes".into()) && !process.contains(&"processs".into()));
        let risk = forms("risk");
        assert!(["risks", "risked", "risking"].iter().all(|f| risk.contains(&f.to_string())), "{risk:?}");
        let own = forms("own");
        assert!(!own.contains(&"ownning".to_string()), "no doubling after a vowel pair or w: {own:?}");
        // A stem without its silent e inflects as the word: the reader writes `mitigat~` or `mitigate~` alike.
        let stem = forms("mitigat");
        for want in ["mitigate", "mitigates", "mitigated", "mitigating", "mitigation"] {
            assert!(stem.contains(&want.to_string()), "{want} in {stem:?}");
        }
        let two = b.forms("own~ the backlog~").unwrap();
        assert_eq!(two.len(), forms("own").len() * forms("backlog").len(), "every combination: {two:?}");
        assert!(two.contains(&"owning the backlogs".to_string()));
        assert!(b.forms("a~ b~ c~ d~ e~").is_err(), "more than 256 forms");
        assert!(b.forms("o~wn").is_err(), "`~` inside a word");
    }

    #[test]
    fn a_regex_tail_is_the_words_that_end_its_matches() {
        let tail = |p: &str| tail(&regex_syntax::parse(p).unwrap());
        let t = tail("manag(?:e|es) (?:[a-z]+ ){0,3}team of (?:senior )?engineers").expect("a tail");
        assert!(t.suffixes.iter().all(|parts| parts[0] == "engineers"), "{:?}", t.suffixes);
        assert!(t.suffixes.iter().flatten().any(|p| p == "of engineers"), "longer parts start words too");
        // Literals are cut to their last 16 bytes: a part is what follows a word start inside one.
        assert!(t.suffixes.iter().flatten().all(|p| p.len() < 16), "{:?}", t.suffixes);
        assert!(t.holds.admits(Some(b'q')) && t.holds.admits(Some(b' ')) && t.holds.admits(Some(b'g')));
        assert!(!t.holds.admits(Some(b'.')) && !t.holds.admits(Some(b',')) && !t.holds.admits(Some(b'Q')));
        assert!(tail(r"lead \w+ teams").expect("a tail").holds.admits(Some(0xc3)), "a Unicode class: any non-ASCII");
        // The spaces a match can hold: each bounded repetition at its most, the widest alternative.
        assert_eq!(t.spaces, 1 + 3 + 2 + 1, "{:?}", t.suffixes);
        assert_eq!(tail("lead(?: [a-z]+)* teams").expect("a tail").spaces, u32::MAX, "no upper bound");
        assert_eq!(tail("lead[a-z]* (?:a|two big) teams").expect("a tail").spaces, 3);
        assert_eq!(tail(r"lead\s\w{2,5} teams").expect("a tail").spaces, 2, "a class holds one space at most");
        // And the bytes: the longest alternative, each repetition at its most; no bound past an unbounded one.
        assert_eq!(tail("lead (?:a|two big) teams").expect("a tail").longest, 4 + 1 + 7 + 1 + 5);
        assert_eq!(tail("lead [a-z]{2,5} teams").expect("a tail").longest, 4 + 1 + 5 + 1 + 5);
        assert_eq!(tail("lead[a-z]* teams").expect("a tail").longest, u32::MAX);
        assert!(tail("own(?:s|ing)? [a-z]+").is_none(), "a class ends the matches");
        assert!(tail("owns?").is_none(), "no word starts inside the suffix");
        let short = tail("lead a team of ab").expect("a tail");
        // (Not the whole literal: what comes before a match is not known.)
        assert_eq!(short.suffixes, [["of ab", "team of ab", "a team of ab"]], "a short last word");
    }

    #[test]
    fn prefix_literals_extracted() {
        let lits = |p: &str| {
            prefix_literals(&regex_syntax::parse(p).unwrap()).map(|l| l.into_iter().map(|(s, _)| s).collect::<Vec<_>>())
        };
        let mut own = lits("own(?:s|ing)? the backlog").unwrap();
        own.sort();
        // The space after the leading word stays: "own " is not tried inside "owner" or "ownership".
        assert_eq!(own, vec!["own ", "owning ", "owns "]);
        let mut own_end = lits("owns?").unwrap();
        own_end.sort();
        assert_eq!(own_end, vec!["own", "owns"], "a regex that may end after the word needs no space");
        let on_time = lits("on time,? (?:and )?within budget").unwrap();
        assert!(on_time.iter().all(|l| l.starts_with("on time")), "a short first word is extended: {on_time:?}");
        let l = lits("(?:Lead|leading) a team").unwrap();
        assert!(!l.is_empty());
        assert!(
            l.iter().all(|x| "lead a team".starts_with(x.as_str()) || "leading a team".starts_with(x.as_str())),
            "{l:?}"
        );
        assert!(lits(r"\w+ backlog").is_none());
        assert!(lits("ab?c").is_none(), "too short");
    }

    #[test]
    fn next_bytes_after_a_prefix_literal() {
        let lits = |p: &str| prefix_literals(&regex_syntax::parse(p).unwrap()).unwrap();
        let admits = |l: &[(String, NextBytes)], lit: &str, b: Option<u8>| {
            l.iter().find(|(x, _)| x == lit).unwrap_or_else(|| panic!("{lit} in {l:?}")).1.admits(b)
        };
        let own = lits("own(?:s|ing)? (?:the )?backlog");
        for lit in ["own ", "owns ", "owning "] {
            assert!(admits(&own, lit, Some(b't')) && admits(&own, lit, Some(b'b')), "{lit}");
            assert!(!admits(&own, lit, Some(b'a')) && !admits(&own, lit, Some(b' ')), "{lit}");
            assert!(!admits(&own, lit, None), "the regex cannot end after `{lit}`");
        }
        // The regex may end with the literal: anything (and the end of the text) may follow.
        let owns = lits("owns?");
        assert!(admits(&owns, "own", None) && admits(&owns, "own", Some(b'x')));
        // Several literals that cut to one: the union of what follows them.
        let years = lits("years (?:of experience|as an? engineer)");
        assert!(admits(&years, "years ", Some(b'o')) && admits(&years, "years ", Some(b'a')));
        assert!(!admits(&years, "years ", Some(b'e')));
    }

    /// Every byte the filter turns away really cannot continue a match: checked for every candidate of the default
    /// pack against the regex's own automaton (after the literal and that byte, it is dead).
    #[test]
    fn next_bytes_never_turn_away_a_match_in_the_default_pack() {
        use regex_automata::hybrid::dfa::DFA;
        use regex_automata::util::start;
        let rules = crate::default_rules().unwrap();
        let mut filtered = 0;
        // Every regex prefix literal is in the body automaton.
        for act in &rules.body_actions {
            let lit = &rules.patterns[act.literal as usize].text;
            let first = act.first_regex as usize;
            for c in &rules.candidates[first..first + act.regexes as usize] {
                if c.next == NextBytes::ANY {
                    continue;
                }
                filtered += 1;
                let re = &rules.regexes[c.regex as usize];
                let dfa = DFA::new(&re.source).unwrap();
                let mut cache = dfa.create_cache();
                let config = start::Config::new().anchored(regex_automata::Anchored::Yes);
                let mut sid = dfa.start_state(&mut cache, &config).unwrap();
                for &b in lit.as_bytes() {
                    sid = dfa.next_state(&mut cache, sid, b).unwrap();
                }
                assert!(!sid.is_match(), "`{}` can end after `{lit}`, but the end of text is turned away", re.source);
                for b in 0..=255u8 {
                    if !c.next.admits(Some(b)) {
                        let next = dfa.next_state(&mut cache, sid, b).unwrap();
                        assert!(next.is_dead(), "`{}` can go on after `{lit}` with byte {b:#04x}", re.source);
                    }
                }
            }
        }
        assert!(filtered > 100, "the pack's candidates are mostly filtered ({filtered})");
    }
}
