//! Job titles: which role a posted title names, at what seniority, and what around it is noise.
//!
//! A title is normalised like a posting and run through the pack's title automaton (built from the same literal
//! table as the body automaton, so a name is one literal with both meanings); only the title meanings of each
//! literal count here ([`UseKind::Title`], [`UseKind::Seniority`], [`UseKind::TitleNoise`]), which the rule pack
//! declares: every role's `names` plus its `[titles]` variants, and the language file's `[language.titles]` cues
//! and noise regexes (salary, requisition id, gender marker). The language's joiners ("and") and place cues
//! ("in") are common words, so they stay out of the automaton and are compared with the gaps they must fill.
//!
//! Reading a title:
//! 1. The role is the **first** title phrase found, the longest at one place (a phrase inside a longer one names
//!    nothing: "product owner" in "Technical Product Owner", and nor does one inside a field of work the language
//!    lists as a qualifier: "developer" in "Director, Developer Relations"); later phrases qualify it ("Project
//!    Manager (Project Architect)"). A phrase that two roles claim ("PM") makes the title `ambiguous`: no guess.
//! 2. A second role phrase joined to the first only by a joiner ("Tech Lead / Architect", "PO & Scrum Master")
//!    makes the title `dual`: both roles are reported, the first as the role. A phrase too vague to name its role
//!    alone (`[titles] vague`: "Architect") names it only this way; another role's phrase standing apart, not
//!    joined, is `also_named`.
//! 3. Seniority is the highest level any seniority word states, wherever it stands ("Senior", "Head of", the
//!    "Chief" of "Chief Technology Officer"); it never changes the role.
//! 4. Everything else is kept apart, each part with its kind: remote, gender, contract, requisition, salary,
//!    location (a known place, a "city, st" shape or words after "in"), and qualifier for a listed field of work and for what is left
//!    ("Payments Platform").
//!
//! Spans are byte ranges into the title as given.

use crate::posting::{self, Normalized};
use crate::ruleset::{Noise, RoleIdx, RuleSet, Seniority, UseKind};

/// How a title resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TitleStatus {
    /// One role.
    Match,
    /// Two roles joined ("Tech Lead / Architect"): both reported.
    Dual,
    /// A phrase that several roles claim ("PM"): no role.
    Ambiguous,
    /// No role phrase: no role, never a guess.
    None,
}

impl TitleStatus {
    /// The status as in output.
    pub fn as_str(&self) -> &'static str {
        match self {
            TitleStatus::Match => "match",
            TitleStatus::Dual => "dual",
            TitleStatus::Ambiguous => "ambiguous",
            TitleStatus::None => "none",
        }
    }
}

/// A part of the title kept apart from the role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Part {
    /// What it is.
    pub kind: Noise,
    /// Byte span in the title.
    pub start: usize,
    /// End of the span (exclusive).
    pub end: usize,
}

/// What a title says.
#[derive(Debug, Clone, PartialEq)]
pub struct TitleReading {
    /// Match, dual, ambiguous or none.
    pub status: TitleStatus,
    /// The role (the first one of a dual title); `None` for ambiguous and none.
    pub role: Option<RoleIdx>,
    /// The second role of a dual title.
    pub also: Option<RoleIdx>,
    /// The roles an ambiguous phrase could mean.
    pub candidates: Vec<RoleIdx>,
    /// Span of the role phrase (the first one of a dual title, the ambiguous phrase).
    pub matched: Option<(usize, usize)>,
    /// Span of the second role phrase of a dual title.
    pub also_matched: Option<(usize, usize)>,
    /// The highest seniority stated, with the span of the word that states it.
    pub seniority: Option<(Seniority, usize, usize)>,
    /// Everything kept apart from the role, in title order.
    pub parts: Vec<Part>,
    /// Roles whose responsibility phrases the title itself holds ("Engineering Manager, Machine Learning" holds a
    /// data scientist's phrase): the job's domain, which a body that dwells on it does not drift from.
    pub domains: Vec<RoleIdx>,
    /// Roles whose title phrase stands in the title apart from the role's own phrase, not joined to it closely
    /// enough to make a dual title ("Project Manager - CSP, Scrum Master, Coaching" names a scrum master too): the
    /// employer names that job as well, so a body of that role does not drift from the title.
    pub also_named: Vec<RoleIdx>,
}

/// The longest first line (in characters) that [`first_line_title`] reads as a job title.
pub const GUESS_MAX_CHARS: usize = 100;
/// The most words a first line may have to read as a job title.
pub const GUESS_MAX_WORDS: usize = 12;

/// The span of `text`'s first non-empty line when it reads as a job title, for a posting given without one: short
/// (at most [`GUESS_MAX_CHARS`] characters and [`GUESS_MAX_WORDS`] words), not a sentence (no closing `.`, `!` or
/// `?`), and naming a role (`match` or `dual`). Markdown or list marks around it (`# `, `**`, `- `) are left out of
/// the span. The faces use it as the title and say so; the verdict never depends on it.
pub fn first_line_title(rules: &RuleSet, norm: &mut Normalized, text: &str) -> Option<(usize, usize)> {
    let mut at = 0;
    let line = text.split_inclusive('\n').find_map(|l| {
        let start = at;
        at += l.len();
        (!l.trim().is_empty()).then_some((start, l))
    })?;
    let (start, line) = line;
    let lead = line.len() - line.trim_start_matches(|c: char| c.is_whitespace() || "#*-=_>".contains(c)).len();
    let body = line[lead..].trim_end_matches(|c: char| c.is_whitespace() || "#*=_".contains(c));
    if body.is_empty()
        || body.chars().count() > GUESS_MAX_CHARS
        || body.split_whitespace().count() > GUESS_MAX_WORDS
        || body.ends_with(['.', '!', '?'])
    {
        return None;
    }
    let reading = read_with(rules, norm, body, false);
    matches!(reading.status, TitleStatus::Match | TitleStatus::Dual)
        .then_some((start + lead, start + lead + body.len()))
}

/// A title meaning found in the title.
#[derive(Debug, Clone, Copy)]
struct Found {
    kind: UseKind,
    start: usize,
    end: usize,
}

/// The roles with a responsibility phrase in the title (`norm` holds the normalised title), by the body automaton.
fn domains(rules: &RuleSet, norm: &Normalized, title: &str) -> Vec<RoleIdx> {
    let mut out: Vec<RoleIdx> = Vec::new();
    for (pattern, ms, me) in rules.automaton.overlapping(norm.text.as_bytes(), norm.hidden_starts(), 0) {
        let (os, oe) = norm.original_span(ms, me);
        let (left, right) = (posting::left_boundary(title, os), posting::right_boundary(title, oe));
        let act = rules.body_actions[pattern as usize];
        let first = act.first_use as usize;
        for u in &rules.meanings[first..first + act.uses as usize] {
            if let UseKind::Responsibility { role, area } = u.kind {
                let background = rules.roles[role as usize].areas[area as usize].background;
                if (u.left_open || left) && (u.right_open || right) && !background && !out.contains(&role) {
                    out.push(role);
                }
            }
        }
    }
    out
}

/// Reads `title` with `rules`, using `norm` as scratch.
pub(crate) fn read(rules: &RuleSet, norm: &mut Normalized, title: &str) -> TitleReading {
    read_with(rules, norm, title, true)
}

/// [`read`], whole when `full`; otherwise only what names the role is read (its status, `role`, `also`, their
/// spans and the candidates): the domains, seniority and parts are left out. The domains run the body automaton
/// over the title, whose tables a batch has by then evicted from cache, and the noise regexes one more search a
/// title: a few per cent of a `batch` run that wants only the title's role. (No noise regex names a field of
/// work, the one kind of noise that can hide a role phrase.)
pub(crate) fn read_with(rules: &RuleSet, norm: &mut Normalized, title: &str, full: bool) -> TitleReading {
    norm.build(title);
    let mut found: Vec<Found> = Vec::new();
    if !norm.text.is_empty() {
        for m in rules.title_automaton.find_overlapping_iter(norm.text.as_str()) {
            let (os, oe) = norm.original_span(m.start(), m.end());
            let (left, right) = (posting::left_boundary(title, os), posting::right_boundary(title, oe));
            let act = rules.title_actions[m.pattern().as_usize()];
            let first = act.first_use as usize;
            for u in &rules.meanings[first..first + act.uses as usize] {
                if u.kind.is_title() && (u.left_open || left) && (u.right_open || right) {
                    found.push(Found { kind: u.kind, start: os, end: oe });
                }
            }
        }
        // One pass for all noise regexes first: most titles have no salary, requisition id or `city, ST`.
        let any_noise = full && rules.title_noise_any().is_none_or(|re| re.is_match(norm.text.as_str()));
        for (noise, rule) in rules.title_regexes.iter().filter(|_| any_noise) {
            let Some(re) = rule.regex() else { continue };
            for m in re.find_iter(norm.text.as_str()) {
                if m.is_empty() {
                    continue;
                }
                let (os, oe) = norm.original_span(m.start(), m.end());
                if posting::left_boundary(title, os) && posting::right_boundary(title, oe) {
                    found.push(Found { kind: UseKind::TitleNoise(*noise), start: os, end: oe });
                }
            }
        }
    }
    found.sort_by_key(|f| (f.start, std::cmp::Reverse(f.end)));
    // A role phrase inside a longer field-of-work phrase names nothing ("developer" in "Developer Relations").
    let fields: Vec<(usize, usize)> =
        found.iter().filter(|f| f.kind == UseKind::TitleNoise(Noise::Qualifier)).map(|f| (f.start, f.end)).collect();
    if !fields.is_empty() {
        found.retain(|f| {
            !matches!(f.kind, UseKind::Title { .. })
                || !fields.iter().any(|&(s, e)| s <= f.start && f.end <= e && e - s > f.end - f.start)
        });
    }

    // 1-2. Role phrases not inside a longer role phrase, longest first (ties: earlier).
    let titles: Vec<(RoleIdx, usize, usize)> = found
        .iter()
        .filter_map(|f| match f.kind {
            UseKind::Title { role } => Some((role, f.start, f.end)),
            _ => None,
        })
        .collect();
    let outer: Vec<(RoleIdx, usize, usize)> = titles
        .iter()
        .copied()
        .filter(|&(_, s, e)| !titles.iter().any(|&(_, s2, e2)| s2 <= s && e <= e2 && e2 - s2 > e - s))
        .collect();
    let mut spans: Vec<(usize, usize)> = outer.iter().map(|&(_, s, e)| (s, e)).collect();
    // Titles lead with the role; later phrases qualify it ("... (Project Architect)"): the first outer phrase wins,
    // the longer at one start.
    spans.sort_by_key(|&(s, e)| (s, std::cmp::Reverse(e - s)));
    spans.dedup();
    let roles_at = |(s, e): (usize, usize)| -> Vec<RoleIdx> {
        let mut r: Vec<RoleIdx> = outer.iter().filter(|&&(_, s2, e2)| (s2, e2) == (s, e)).map(|t| t.0).collect();
        r.sort_unstable();
        r.dedup();
        r
    };
    let mut reading = TitleReading {
        status: TitleStatus::None,
        role: None,
        also: None,
        candidates: Vec::new(),
        matched: None,
        also_matched: None,
        seniority: None,
        parts: Vec::new(),
        domains: if full { domains(rules, norm, title) } else { Vec::new() },
        also_named: Vec::new(),
    };
    let mut role_spans: Vec<(usize, usize)> = Vec::new();
    if let Some(&best) = spans.first() {
        let roles = roles_at(best);
        role_spans.push(best);
        reading.matched = Some(best);
        if roles.len() > 1 {
            reading.status = TitleStatus::Ambiguous;
            reading.candidates = roles;
        } else {
            reading.status = TitleStatus::Match;
            reading.role = roles.first().copied();
            // A second, different role joined to the first: a dual title.
            let second = spans.iter().skip(1).copied().find(|&sp| {
                roles_at(sp).len() == 1 && roles_at(sp)[0] != roles[0] && joined_to(rules, title, best, sp)
            });
            // Or two roles sharing one head noun: "Sales/Marketing Manager" is a sales manager and a marketing
            // manager ("Product & Project Manager" likewise): the word joined before the role phrase, with the
            // phrase's head, names a role of its own.
            let second = second
                .map(|sp| (sp, roles_at(sp)[0]))
                .or_else(|| shared_head(rules, title, best).filter(|&(_, r)| r != roles[0]))
                .or_else(|| joined_vague(rules, title, &found, &titles, best, roles[0]));
            if let Some((sp, other)) = second {
                reading.status = TitleStatus::Dual;
                role_spans.push(sp);
                // The first in the title is the role.
                if sp.0 < best.0 {
                    reading.role = Some(other);
                    reading.also = Some(roles[0]);
                    reading.matched = Some(sp);
                    reading.also_matched = Some(best);
                } else {
                    reading.also = Some(other);
                    reading.also_matched = Some(sp);
                }
            }
        }
    }

    if !full {
        return reading;
    }

    // The title's own field: a field word anywhere ("Security Program Manager", "Data Architect") or another
    // role's phrase outside the role's span ("QA Chef (Sous Chef)") names the domain the job works in.
    let outside = |s: usize, e: usize| !role_spans.iter().any(|&(rs, re)| s < re && rs < e);
    for f in &found {
        let role = match f.kind {
            UseKind::TitleField { role } => role,
            UseKind::Title { role } if outside(f.start, f.end) => {
                // Only a phrase not inside a longer one names a job ("owner" in "Product Owner" does not).
                if outer.iter().any(|&(r, s, e)| (r, s, e) == (role, f.start, f.end))
                    && reading.role.is_some_and(|r| r != role)
                    && reading.also != Some(role)
                    && !reading.also_named.contains(&role)
                {
                    reading.also_named.push(role);
                }
                role
            }
            _ => continue,
        };
        if !reading.domains.contains(&role) {
            reading.domains.push(role);
        }
    }

    // 3. Seniority: the highest level stated; at one level, the longest word.
    reading.seniority = found
        .iter()
        .filter_map(|f| match f.kind {
            UseKind::Seniority(l) => Some((l, f.start, f.end)),
            _ => None,
        })
        .max_by(|a, b| a.0.cmp(&b.0).then((a.2 - a.1).cmp(&(b.2 - b.1))).then(b.1.cmp(&a.1)));

    // 4. Noise outside the role phrases (the longest of overlapping ones), then what is left.
    let mut noise: Vec<Part> = found
        .iter()
        .filter_map(|f| match f.kind {
            UseKind::TitleNoise(kind) => Some(Part { kind, start: f.start, end: f.end }),
            _ => None,
        })
        .filter(|p| !role_spans.iter().any(|&(s, e)| p.start < e && s < p.end))
        .collect();
    noise.sort_by_key(|p| (p.start, std::cmp::Reverse(p.end)));
    let mut parts: Vec<Part> = Vec::new();
    for p in noise {
        match parts.last() {
            Some(last) if p.start < last.end => {}
            _ => parts.push(p),
        }
    }
    let mut covered: Vec<(usize, usize)> = role_spans.clone();
    covered.extend(parts.iter().map(|p| (p.start, p.end)));
    covered.extend(found.iter().filter(|f| matches!(f.kind, UseKind::Seniority(_))).map(|f| (f.start, f.end)));
    if let Some(d) = reading.also_matched {
        // The joiner between the two roles of a dual title is neither.
        let (a, b) = if d.0 >= role_spans[0].1 { (role_spans[0].1, d.0) } else { (d.1, role_spans[0].0) };
        covered.push((a, b));
    }
    for (s, e) in leftovers(title, &covered) {
        // A piece that starts with "in" / "based in" is a place: the cue goes, the place stays. (The title's own
        // normalisation is no longer needed: `norm` is reused for the piece.)
        let piece = &title[s..e];
        norm.build(piece);
        let cue = rules.location_before.iter().find_map(|c| {
            let words = norm.text.strip_prefix(c.as_str())?.strip_prefix(' ')?;
            (!words.is_empty()).then(|| piece.len() - piece_tail_len(piece, c.split(' ').count()))
        });
        match cue {
            Some(cut) => parts.push(Part { kind: Noise::Location, start: s + cut, end: e }),
            None => parts.push(Part { kind: Noise::Qualifier, start: s, end: e }),
        }
    }
    parts.sort_by_key(|p| (p.start, p.end));
    reading.parts = parts;
    reading
}

/// A vague title phrase (`[titles] vague`: "Architect") joined to the role phrase at `best` by a joiner alone
/// ("Tech Lead / Architect", "Architect/Project Manager"): beside another role it names its own; its span and role.
/// One inside a longer role phrase ("Software Architect") is that phrase's, not vague.
fn joined_vague(
    rules: &RuleSet,
    title: &str,
    found: &[Found],
    titles: &[(RoleIdx, usize, usize)],
    best: (usize, usize),
    role: RoleIdx,
) -> Option<((usize, usize), RoleIdx)> {
    found.iter().find_map(|f| {
        let UseKind::TitleVague { role: vague } = f.kind else { return None };
        let (s, e) = (f.start, f.end);
        let apart = vague != role && !titles.iter().any(|&(_, ts, te)| ts < e && s < te);
        (apart && joined_to(rules, title, best, (s, e))).then_some(((s, e), vague))
    })
}

/// Whether the phrase at `other` stands apart from the role phrase at `best`, before or after it, with only a
/// joiner between them ([`posting::only_joined`]).
fn joined_to(rules: &RuleSet, title: &str, best: (usize, usize), (s, e): (usize, usize)) -> bool {
    let gap = if s >= best.1 {
        best.1..s
    } else if e <= best.0 {
        e..best.0
    } else {
        return false;
    };
    posting::only_joined(&title[gap], &rules.title_joiners)
}

/// The role of a word joined before the role phrase at `best` with the phrase's head ("Sales" in "Sales/Marketing
/// Manager": "sales manager"), and that word's span: only when the phrase has more than one word, the word and the
/// phrase are joined ([`posting::only_joined`]), and the word with the head is a title phrase of exactly one role.
fn shared_head(rules: &RuleSet, title: &str, best: (usize, usize)) -> Option<((usize, usize), RoleIdx)> {
    let phrase = &title[best.0..best.1];
    let head = &phrase[phrase.find(|c: char| !posting::is_word_char(c))?..];
    // The last word before the phrase, or the one before it when that is a joiner word ("Sales and Marketing").
    let last_word = |to: usize| {
        let end = title[..to].trim_end_matches(|c: char| !posting::is_word_char(c)).len();
        let start = title[..end]
            .char_indices()
            .rev()
            .find(|&(_, c)| !posting::is_word_char(c))
            .map_or(0, |(i, c)| i + c.len_utf8());
        (start, end)
    };
    let (mut word_start, mut word_end) = last_word(best.0);
    if rules.title_joiners.contains(&Normalized::new(&title[word_start..word_end]).text) {
        (word_start, word_end) = last_word(word_start);
    }
    if word_start == word_end || !posting::only_joined(&title[word_end..best.0], &rules.title_joiners) {
        return None;
    }
    let candidate = Normalized::new(&format!("{}{head}", &title[word_start..word_end]));
    let text = candidate.text.as_str();
    let mut roles: Vec<RoleIdx> = Vec::new();
    for m in rules.title_automaton.find_overlapping_iter(text).filter(|m| m.start() == 0 && m.end() == text.len()) {
        let act = rules.title_actions[m.pattern().as_usize()];
        let first = act.first_use as usize;
        for u in &rules.meanings[first..first + act.uses as usize] {
            if let UseKind::Title { role } = u.kind {
                if !roles.contains(&role) {
                    roles.push(role);
                }
            }
        }
    }
    match roles[..] {
        [role] => Some(((word_start, word_end), role)),
        _ => None,
    }
}

/// Byte length of `piece` after its first `words` words (and the spaces after them).
fn piece_tail_len(piece: &str, words: usize) -> usize {
    let mut rest = piece;
    for _ in 0..words {
        rest = rest.trim_start();
        rest = rest.trim_start_matches(|c: char| !c.is_whitespace());
    }
    rest.trim_start().len()
}

/// Stretches of the title not covered by any span, split at separators, trimmed, holding a letter or digit.
fn leftovers(title: &str, covered: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let is_covered = |i: usize| covered.iter().any(|&(s, e)| s <= i && i < e);
    let bytes = title.as_bytes();
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let flush = |from: Option<usize>, to: usize, out: &mut Vec<(usize, usize)>| {
        let Some(from) = from else { return };
        let piece = &title[from..to];
        let trimmed = piece.trim_matches(|c: char| !posting::is_word_char(c));
        if trimmed.chars().any(char::is_alphanumeric) {
            let s = from + (piece.len() - piece.trim_start_matches(|c: char| !posting::is_word_char(c)).len());
            out.push((s, s + trimmed.len()));
        }
    };
    for (i, c) in title.char_indices() {
        // A hyphen between spaces separates parts; inside a word ("e-commerce") it does not.
        let spaced_dash = matches!(c, '-' | '\u{2013}' | '\u{2014}')
            && i > 0
            && bytes[i - 1] == b' '
            && bytes.get(i + c.len_utf8()).is_none_or(|&b| b == b' ');
        let separator = spaced_dash
            || matches!(c, ',' | '|' | '(' | ')' | '[' | ']' | '/' | '\u{2022}' | '\u{00B7}' | ':' | ';' | '@');
        if is_covered(i) || separator {
            flush(start.take(), i, &mut out);
        } else if start.is_none() {
            start = Some(i);
        }
    }
    flush(start, title.len(), &mut out);
    out
}

/// The serialised reading of a title (`rolecall title --format json`, one object per title):
///
/// | field | type | meaning |
/// |---|---|---|
/// | `title` | string | the title as given |
/// | `status` | string | `match`, `dual` (two roles joined: `role` and `also`), `ambiguous` (a phrase several roles claim: `candidates`) or `none` |
/// | `role` | string or null | the role id (the first of a dual title) |
/// | `also` | string or null | the second role of a dual title |
/// | `candidates` | array of strings | the roles an ambiguous title could mean |
/// | `also_named` | array of strings | other roles whose title phrase stands apart in the title, not joined closely enough for a dual title ("Project Manager - CSM, Scrum Master": `scrum-master`); drift does not flag a body of one of them |
/// | `seniority` | object or null | `{level, text}`: `intern` .. `chief`, and the words that state it |
/// | `parts` | array | `{kind, text}` kept apart from the role: `location`, `remote`, `gender`, `contract`, `requisition`, `salary`, `qualifier` |
/// | `family` | string or null | the role's family |
/// | `rules` | string | the rule set's hash |
#[derive(Debug, Clone, serde::Serialize)]
pub struct TitleReport<'a> {
    /// The title as given.
    pub title: &'a str,
    /// What it states.
    #[serde(flatten)]
    pub stated: StatedLine<'a>,
    /// The role's family.
    pub family: Option<&'a str>,
    /// Rule-set hash.
    pub rules: &'a str,
}

impl<'a> TitleReport<'a> {
    /// The report of `reading`, read from `title`.
    pub fn new(rules: &'a RuleSet, reading: &TitleReading, title: &'a str) -> TitleReport<'a> {
        TitleReport {
            title,
            stated: StatedLine::new(rules, reading, title),
            family: reading.role.map(|r| rules.roles()[r as usize].family.as_str()),
            rules: rules.hash(),
        }
    }
}

/// What a title states.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StatedLine<'a> {
    /// match / dual / ambiguous / none.
    pub status: TitleStatus,
    /// The stated role.
    pub role: Option<&'a str>,
    /// The second role of a dual title.
    pub also: Option<&'a str>,
    /// The roles an ambiguous title could mean.
    pub candidates: Vec<&'a str>,
    /// Other roles the title names apart from its role ([`TitleReading::also_named`]).
    pub also_named: Vec<&'a str>,
    /// The seniority stated.
    pub seniority: Option<SeniorityLine<'a>>,
    /// Parts kept apart from the role.
    pub parts: Vec<PartLine<'a>>,
}

/// A seniority and the words that state it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SeniorityLine<'a> {
    /// The level.
    pub level: &'static str,
    /// The words in the title.
    pub text: &'a str,
}

/// A part of a title kept apart from the role.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PartLine<'a> {
    /// location / remote / gender / contract / requisition / salary / qualifier.
    pub kind: &'static str,
    /// The words in the title.
    pub text: &'a str,
}

impl<'a> StatedLine<'a> {
    /// The serialisable reading of `title` (the text it was read from).
    pub fn new(rules: &'a RuleSet, reading: &TitleReading, title: &'a str) -> StatedLine<'a> {
        let id = |r: RoleIdx| rules.roles()[r as usize].id.as_str();
        StatedLine {
            status: reading.status,
            role: reading.role.map(id),
            also: reading.also.map(id),
            candidates: reading.candidates.iter().map(|&r| id(r)).collect(),
            also_named: reading.also_named.iter().map(|&r| id(r)).collect(),
            seniority: reading.seniority.map(|(l, s, e)| SeniorityLine { level: l.as_str(), text: &title[s..e] }),
            parts: reading
                .parts
                .iter()
                .map(|p| PartLine { kind: p.kind.as_str(), text: &title[p.start..p.end] })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::Session;

    fn rules() -> crate::RuleSet {
        crate::default_rules().unwrap()
    }

    #[test]
    fn piece_tail_skips_words() {
        assert_eq!(super::piece_tail_len("based in New York", 2), "New York".len());
        assert_eq!(super::piece_tail_len("in Berlin", 1), "Berlin".len());
    }

    #[test]
    fn leftovers_split_at_separators_not_inside_words() {
        let t = "PO - E-Commerce, Berlin";
        let got: Vec<&str> = super::leftovers(t, &[(0, 2)]).into_iter().map(|(s, e)| &t[s..e]).collect();
        assert_eq!(got, ["E-Commerce", "Berlin"]);
    }

    #[test]
    fn nested_phrase_names_only_the_longer_role() {
        let rs = rules();
        let mut sc = Session::new(&rs);
        let r = sc.title("Technical Product Owner");
        assert_eq!(r.role.map(|i| rs.roles()[i as usize].id.as_str()), Some("technical-product-owner"));
        assert_eq!(r.matched, Some((0, 23)));
    }

    #[test]
    fn title_only_words_are_read_in_titles_but_never_scanned_in_bodies() {
        let rs = rules();
        let mut sc = Session::new(&rs);
        let r = sc.title("Senior PO (m/w/d)");
        assert_eq!(r.role.map(|i| rs.roles()[i as usize].id.as_str()), Some("product-owner"));
        assert!(r.parts.iter().any(|p| p.kind == crate::ruleset::Noise::Gender), "{:?}", r.parts);
        // "po" and "em" are title phrases only: the body automaton does not even report them.
        assert_eq!(rs.raw_scan(b"po em"), 0);
        // A name is both: a body mention and a title.
        assert!(rs.raw_scan(b"product owner") > 0);
        assert_eq!(sc.title("Product Owner").role, rs.role("product-owner").map(|(i, _)| i));
    }

    #[test]
    fn the_role_alone_is_read_as_in_the_full_reading() {
        let rs = rules();
        let mut sc = Session::new(&rs);
        for ex in rs.title_examples() {
            let full = sc.title(&ex.title);
            assert_eq!(sc.title_role(&ex.title), full.role, "{}", ex.title);
        }
        // Nor do the noise regexes, which it does not run, change the role (titles where they find noise).
        for title in ["Scrum Master, Austin, TX - $120k", "Product Owner REQ-20931", "Senior PO (m/w/d)"] {
            let full = sc.title(title);
            assert!(full.role.is_some(), "{title}");
            assert!(full.parts.iter().any(|p| p.kind != crate::ruleset::Noise::Qualifier), "{title}: {:?}", full.parts);
            assert_eq!(sc.title_role(title), full.role, "{title}");
        }
        // The domains are what the role-only reading leaves out.
        assert!(!sc.title("Program Manager, Cloud Infrastructure").domains.is_empty());
    }

    #[test]
    fn field_words_and_other_role_phrases_name_the_title_s_domain() {
        let rs = rules();
        let mut sc = Session::new(&rs);
        let domains = |t: &str, sc: &mut Session| -> Vec<String> {
            sc.title(t).domains.iter().map(|&r| rs.roles()[r as usize].id.clone()).collect()
        };
        // A field word qualifying the role, before or after it.
        assert!(domains("Security Program Manager", &mut sc).contains(&"security-engineer".to_string()));
        assert!(domains("Program Manager, Cloud Infrastructure", &mut sc).contains(&"devops-engineer".to_string()));
        // Inside the role's own phrase too ("Data Architect" is an architect in the data field).
        assert!(domains("Data Architect", &mut sc).contains(&"data-engineer".to_string()));
        // Another role's phrase beside the role ("(Sous Chef)") names its domain; the role's own phrase does not.
        let chef = domains("QA Chef (Sous Chef)", &mut sc);
        assert!(chef.contains(&"hospitality".to_string()), "{chef:?}");
        assert!(!domains("Program Manager", &mut sc).contains(&"program-manager".to_string()));
        // A plain title has no domain.
        assert!(domains("Scrum Master", &mut sc).is_empty());
        // A second role's full title phrase apart from the role's own names that job too; a field word, a phrase
        // inside the role's own, or the role's own phrase repeated does not.
        let named = |t: &str, sc: &mut Session| -> Vec<String> {
            sc.title(t).also_named.iter().map(|&r| rs.roles()[r as usize].id.clone()).collect()
        };
        assert_eq!(named("Project Manager - CSM, Scrum Master, Coaching", &mut sc), ["scrum-master"]);
        assert!(named("Security Program Manager", &mut sc).is_empty());
        assert!(named("Technical Product Owner", &mut sc).is_empty());
        assert!(named("Product Owner (Product Owner II)", &mut sc).is_empty());
        // A role's word inside a field of work ("Developer Relations") names neither the role nor a second job.
        assert_eq!(sc.title("Director, Developer Relations").status, super::TitleStatus::None);
        assert!(named("Engineering Manager, Developer Experience", &mut sc).is_empty());
        assert_eq!(
            sc.title("Engineering Manager, Developer Experience").role,
            rs.role("engineering-manager").map(|(i, _)| i)
        );
        // Outside such a field the word is the role as before.
        assert_eq!(sc.title("Senior Developer").role, rs.role("software-engineer").map(|(i, _)| i));
        // A vague phrase ("Architect") names its role only joined to another role's title; inside a longer phrase it
        // is that phrase's.
        let arch = rs.role("software-architect").map(|(i, _)| i);
        assert_eq!(sc.title("Architect").status, super::TitleStatus::None);
        assert_eq!(sc.title("Procurement Architect").status, super::TitleStatus::None);
        let joined = sc.title("Architect/Project Manager");
        assert_eq!((joined.status, joined.role), (super::TitleStatus::Dual, arch));
        let joined = sc.title("Principal Product Manager / Architect");
        assert_eq!((joined.status, joined.also), (super::TitleStatus::Dual, arch));
        assert_eq!(sc.title("Project Manager, Architecture Office").status, super::TitleStatus::Match);
        let inside = sc.title("Senior Software Architect");
        assert_eq!((inside.status, inside.role), (super::TitleStatus::Match, arch));
        // A dual title's second role is `also`, not named twice.
        let dual = sc.title("Tech Lead / Architect");
        assert!(dual.also.is_some() && dual.also_named.is_empty(), "{dual:?}");
    }

    #[test]
    fn a_short_first_line_naming_a_role_reads_as_the_title() {
        let rs = rules();
        let mut sc = Session::new(&rs);
        let guess = |t: &str, sc: &mut Session| sc.first_line_title(t).map(|(s, e)| t[s..e].to_string());
        let ad = "\n  ## Senior Product Owner (m/w/d) **\nYou own the backlog.";
        assert_eq!(guess(ad, &mut sc).as_deref(), Some("Senior Product Owner (m/w/d)"));
        assert_eq!(
            guess("Scrum Master / Agile Coach\r\nWe are ...", &mut sc).as_deref(),
            Some("Scrum Master / Agile Coach")
        );
        // A sentence, a long line, a line naming no role, or an ambiguous one: no title.
        assert_eq!(guess("We need a Product Owner.\nMore.", &mut sc), None);
        assert_eq!(
            guess("As our Product Owner you will own the backlog for three teams in two countries and more", &mut sc),
            None
        );
        assert_eq!(guess("About us\nProduct Owner", &mut sc), None, "only the first non-empty line");
        assert_eq!(guess("PM\nText", &mut sc), None, "ambiguous");
        assert_eq!(guess("", &mut sc), None);
    }

    #[test]
    fn a_tech_lead_manager_is_both_and_reads_ambiguous() {
        let rs = rules();
        let mut sc = Session::new(&rs);
        let r = sc.title("Tech Lead Manager, Payments");
        assert_eq!(r.status, super::TitleStatus::Ambiguous);
        let ids: Vec<&str> = r.candidates.iter().map(|&i| rs.roles()[i as usize].id.as_str()).collect();
        assert_eq!(ids, ["engineering-manager", "tech-lead"]);
    }

    #[test]
    fn two_roles_sharing_one_head_noun_are_a_dual_title() {
        let rs = rules();
        let mut sc = Session::new(&rs);
        let id = |r: Option<crate::ruleset::RoleIdx>| r.map(|i| rs.roles()[i as usize].id.clone());
        for title in
            ["Sales/Marketing Manager", "Senior Sales and Marketing Manager", "Sales & Marketing Manager (m/f)"]
        {
            let r = sc.title(title);
            assert_eq!(r.status, super::TitleStatus::Dual, "{title}");
            assert_eq!((id(r.role), id(r.also)), (Some("sales".into()), Some("marketing".into())), "{title}");
        }
        let r = sc.title("Product/Project Manager");
        assert_eq!((id(r.role), id(r.also)), (Some("product-manager".into()), Some("project-manager".into())));
        // Not joined, or the word with the head names no role: one role.
        for title in ["Digital Marketing Manager", "Health and Safety Manager, Marketing", "Regional Marketing Manager"]
        {
            let r = sc.title(title);
            assert_ne!(r.status, super::TitleStatus::Dual, "{title}");
        }
        // A separator of several bytes before the word ("–", "·") is no trouble.
        let r = sc.title("Senior·Sales & Marketing Manager – Retail");
        assert_eq!((id(r.role), id(r.also)), (Some("sales".into()), Some("marketing".into())));
        assert_ne!(sc.title("Retail–Marketing Manager").status, super::TitleStatus::Dual);
        // A one-word role phrase has no head to share.
        assert_ne!(sc.title("Sales / Architect").also, rs.role_index("sales").ok());
    }

    #[test]
    fn noise_regexes_still_run_when_the_combined_pass_finds_something() {
        let rs = rules();
        let mut sc = Session::new(&rs);
        let kinds = |t: &str, sc: &mut Session| sc.title(t).parts.iter().map(|p| p.kind).collect::<Vec<_>>();
        use crate::ruleset::Noise;
        assert!(kinds("Scrum Master, Austin, TX - $120k", &mut sc).contains(&Noise::Salary));
        assert!(kinds("Scrum Master REQ-20931", &mut sc).contains(&Noise::Requisition));
        assert!(!kinds("Scrum Master", &mut sc).contains(&Noise::Salary));
    }
}
