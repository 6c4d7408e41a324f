//! The compiled rule set: immutable, `Send + Sync`, built once and shared by every scanner.
//!
//! A [`RuleSet`] holds the roles with their areas, **one** Aho-Corasick automaton over every literal of the pack
//! (responsibility phrases, name mentions, negative cues, language cues and regex prefix literals), a table indexed
//! by the automaton's pattern id that says what each literal means ([`Pattern`] and its [`Use`]s), the regexes that
//! confirm candidates, and the pack's identity hash. It is produced by `compile.rs` and read by `scan.rs` and
//! `score.rs`; nothing mutates it after compilation.

use aho_corasick::AhoCorasick;

/// Index of a role in [`RuleSet::roles`].
pub type RoleIdx = u16;

/// A compiled role profile.
#[derive(Debug, Clone)]
pub struct Role {
    /// Kebab-case id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Family id.
    pub family: String,
    /// One-line summary.
    pub summary: String,
    /// Responsibility areas, in file order.
    pub areas: Vec<Area>,
    /// The rule file this role came from.
    pub file: String,
    /// Roles whose work this role includes (see `builds_on` in `rules/README.md`).
    pub builds_on: Vec<RoleIdx>,
    /// Share of their evidence this role adds.
    pub builds_on_share: f64,
}

/// A compiled responsibility area.
#[derive(Debug, Clone)]
pub struct Area {
    /// Kebab-case id, unique within the role.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Weight (0.1 ..= 3.0).
    pub weight: f64,
}

/// What a literal found by the automaton means. One literal can mean several things (a phrase shared by roles).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UseKind {
    /// Evidence of a responsibility of `role`, in `area`.
    Responsibility {
        /// The role.
        role: RoleIdx,
        /// Index into the role's areas.
        area: u16,
    },
    /// The posting names `role` ("as our Product Owner").
    Name {
        /// The role.
        role: RoleIdx,
    },
    /// A cue that argues against `role`.
    Negative {
        /// The role.
        role: RoleIdx,
    },
    /// Negates a signal that follows in the same clause.
    NegationBefore,
    /// Negates a signal that precedes in the same clause.
    NegationAfter,
    /// Shadows a negation cue without negating ("not only").
    NegationIgnore,
    /// Before a name: the name is someone else ("reports to the").
    OtherPersonBefore,
    /// A heading that opens boilerplate.
    BoilerplateHeading,
    /// A heading that opens job content.
    ContentHeading,
    /// A phrase that makes its sentence boilerplate.
    BoilerplatePhrase,
}

/// One meaning of a literal, with the phrase as the author wrote it.
#[derive(Debug, Clone)]
pub struct Use {
    /// What it means.
    pub kind: UseKind,
    /// The phrase as written in the rule file (e.g. `roadmap*`).
    pub phrase: String,
    /// A leading `*`: no word boundary needed before the match.
    pub left_open: bool,
    /// A trailing `*`: the last word may continue.
    pub right_open: bool,
    /// How much of the evidence is this role's alone: `k^-0.5` for a literal that `k` roles list.
    pub specificity: f64,
}

/// A literal of the automaton (indexed by its pattern id).
#[derive(Debug, Clone)]
pub struct Pattern {
    /// The normalised literal.
    pub text: String,
    /// Its meanings.
    pub uses: Vec<Use>,
    /// Regexes (indexes into [`RuleSet::regexes`]) whose prefix literal this is: each is confirmed, anchored, at
    /// every match of this literal.
    pub regexes: Vec<u32>,
}

/// A regex signal: confirms at a literal candidate (or, lacking a literal, runs over the whole text).
///
/// The regex is compiled on first use (a `OnceLock`), so starting the tool costs only what a posting needs; the
/// compiler has already checked its syntax and bounded its size.
#[derive(Debug)]
pub struct RegexRule {
    /// The pattern as written.
    pub source: String,
    /// The responsibility it supports.
    pub role: RoleIdx,
    /// The area.
    pub area: u16,
    /// No prefix literal: runs unanchored over the whole normalised text.
    pub global: bool,
    compiled: std::sync::OnceLock<Option<Regex>>,
}

use regex_automata::meta::Regex;

/// Compiled size limit per regex (bytes).
pub(crate) const REGEX_SIZE_LIMIT: usize = 1 << 20;

impl RegexRule {
    pub(crate) fn new(source: String, role: RoleIdx, area: u16, global: bool) -> Self {
        RegexRule { source, role, area, global, compiled: std::sync::OnceLock::new() }
    }

    /// The compiled regex (the `regex` crate's own engine, so each scanner keeps its own search cache):
    /// `^(?:source)` for a literal-anchored rule, matched on the text from the candidate on (an always-anchored
    /// regex compiles to less), `source` for a global one. `None` if it exceeds the size limit (it then never
    /// matches).
    pub fn regex(&self) -> Option<&Regex> {
        self.compiled
            .get_or_init(|| {
                let config = regex_automata::meta::Config::new().nfa_size_limit(Some(REGEX_SIZE_LIMIT));
                let pattern = if self.global { self.source.clone() } else { format!("^(?:{})", self.source) };
                Regex::builder().configure(config).build(&pattern).ok()
            })
            .as_ref()
    }
}

/// A rule-file example: a short posting and its expected outcome.
#[derive(Debug, Clone)]
pub struct Example {
    /// The role file holding it.
    pub file: String,
    /// 1-based line of its `text`.
    pub line: usize,
    /// Role id the text must produce (`other` for no role).
    pub expect: Option<String>,
    /// Role id the text must not produce.
    pub reject: Option<String>,
    /// The posting.
    pub text: String,
    /// Phrases that must be among the evidence.
    pub evidence: Vec<String>,
}

/// What the scanner does when the automaton reports a literal: a compact, flat copy of [`Pattern`] (its uses and
/// regexes) laid out for the hot loop, so a match touches two small arrays instead of three heap allocations.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Action {
    /// First entry in [`RuleSet::meanings`].
    pub first_use: u32,
    /// How many uses.
    pub uses: u32,
    /// First entry in [`RuleSet::candidates`].
    pub first_regex: u32,
    /// How many regexes start with this literal.
    pub regexes: u32,
}

/// A [`Use`] without its phrase text, for the hot loop.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Meaning {
    pub kind: UseKind,
    pub left_open: bool,
    pub right_open: bool,
    pub specificity: f64,
}

/// The compiled pack. Cheap to share (`Arc<RuleSet>` or `&RuleSet`) across threads.
#[derive(Debug)]
pub struct RuleSet {
    pub(crate) roles: Vec<Role>,
    pub(crate) patterns: Vec<Pattern>,
    pub(crate) automaton: AhoCorasick,
    /// Per pattern id: where its meanings and regex candidates are.
    pub(crate) actions: Vec<Action>,
    pub(crate) meanings: Vec<Meaning>,
    pub(crate) candidates: Vec<u32>,
    pub(crate) regexes: Vec<RegexRule>,
    pub(crate) global_regexes: Vec<u32>,
    pub(crate) negation_gap: usize,
    pub(crate) examples: Vec<Example>,
    pub(crate) hash: String,
    pub(crate) languages: Vec<String>,
    pub(crate) phrase_count: usize,
}

impl RuleSet {
    /// The roles, in pack order.
    pub fn roles(&self) -> &[Role] {
        &self.roles
    }

    /// The role with this id.
    pub fn role(&self, id: &str) -> Option<(RoleIdx, &Role)> {
        self.roles.iter().enumerate().find(|(_, r)| r.id == id).map(|(i, r)| (i as RoleIdx, r))
    }

    /// A short hash identifying the compiled pack: the same rules give the same hash on every machine.
    pub fn hash(&self) -> &str {
        &self.hash
    }

    /// The examples of every role file, in pack order.
    pub fn examples(&self) -> &[Example] {
        &self.examples
    }

    /// Language ids of the pack's language files.
    pub fn languages(&self) -> &[String] {
        &self.languages
    }

    /// Number of distinct literals in the automaton.
    pub fn literal_count(&self) -> usize {
        self.patterns.len()
    }

    /// Number of phrases (and name / negative / cue phrases) as written in the pack, before de-duplication.
    pub fn phrase_count(&self) -> usize {
        self.phrase_count
    }

    /// Number of regex signals.
    pub fn regex_count(&self) -> usize {
        self.regexes.len()
    }

    /// The bare automaton over `haystack` (all overlapping matches, no normalisation, boundaries or scoring): the
    /// benchmark's "raw scan" baseline. Returns the number of matches.
    pub fn raw_scan(&self, haystack: &[u8]) -> usize {
        self.automaton.find_overlapping_iter(haystack).count()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn rule_set_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<super::RuleSet>();
    }
}
