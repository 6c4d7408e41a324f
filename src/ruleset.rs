//! The compiled rule set: immutable, `Send + Sync`, built once and shared by every scanner.
//!
//! A [`RuleSet`] holds the roles with their areas, **one** Aho-Corasick automaton over every literal a posting's
//! body can use (responsibility phrases, name mentions, negative cues, language cues and regex prefix literals), a
//! second, small one over the literals with a title meaning (read on titles only), a table indexed by literal that
//! says what each literal means ([`Pattern`] and its [`Use`]s), the regexes that
//! confirm candidates, and the pack's identity hash. It is produced by `compile.rs` and read by `scan.rs` and
//! `score.rs`; nothing mutates it after compilation.

use crate::automaton::{Literals, WordLiterals};
use aho_corasick::AhoCorasick;

/// Default share of the best `builds_on` role's responsibility score that a role adds to its own (only when it has
/// evidence of its own); a role file may set its own `builds_on_share`. A rule setting's default, so it lives
/// with the rules (the compiler fills it in, the scorer reads it from the role).
pub const BUILDS_ON_FACTOR: f64 = 0.7;
/// A role that declares distinguishing areas is *distinguished* in a posting when those areas score at least this
/// much together (about one specific phrase in an area of weight 1), or when the body names it. A role file may
/// ask for more with `distinguishing_min`.
pub const MIN_DISTINGUISHING: f64 = 0.6;

/// Index of a role in [`RuleSet::roles`].
pub type RoleIdx = u16;

/// Families whose roles are neighbours, not focus roles: they exist to absorb postings outside the focus (software
/// engineers, sales, lawyers), so for agreement with a label they count as `other`, and a title of one of them whose
/// body reads like a sibling role of the same family has not drifted.
pub const NEIGHBOUR_FAMILIES: &[&str] = &["individual-contributor", "business"];

/// Neighbour families whose roles are specialisations of one trade (software, data, infrastructure, hardware
/// engineering): a title of one fits the body of another, so title drift between them is not flagged. The
/// `business` family holds different trades (sales, finance, law, hospitality) and is not one of them.
pub const SIBLING_FAMILIES: &[&str] = &["individual-contributor"];

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
    /// How much its distinguishing areas must score together for the role to be distinguished.
    pub distinguishing_min: f64,
    /// Areas (indices into `areas`) of which some must also score [`MIN_DISTINGUISHING`] together for the role to be
    /// distinguished (`distinguishing_with`); empty: no such condition.
    pub distinguishing_with: Vec<u16>,
    /// Roles whose work a title naming this role commonly stands for (`[titles] covers`): not title drift.
    pub title_covers: Vec<RoleIdx>,
    /// The role's title names a function of every trade, not a trade (`[titles] umbrella`): no far title drift.
    pub title_umbrella: bool,
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
    /// The area tells the role apart from its neighbours (`distinguishing = true`).
    pub distinguishing: bool,
    /// The role's background profile (`[background]`): its evidence counts only inside a background clause and is
    /// reported as kind `background`.
    pub background: bool,
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
    /// A heading that opens boilerplate.
    BoilerplateHeading,
    /// A heading that opens job content.
    ContentHeading,
    /// A phrase that makes its sentence boilerplate.
    BoilerplatePhrase,
    /// A phrase that makes its sentence company prose, unless a job cue is in it.
    CompanyPhrase,

    /// Makes a phrase that follows in the same clause the candidate's background ("years as a").
    BackgroundBefore,
    /// Makes a phrase that precedes in the same clause the candidate's background ("before moving into").
    BackgroundAfter,
    /// One side of a proximity rule: `rule` indexes [`RuleSet::near_rules`], `side` is 0 or 1.
    NearAnchor {
        /// The rule.
        rule: u32,
        /// Which side of it.
        side: u8,
        /// The side that confirms (the rule's more common side): its literals count only near the other side's
        /// anchors (the body walk finds them; the scan reads those in the stretches around the triggers).
        confirm: bool,
    },
    /// In a job title: names `role` (its `names` and title-only variants). Ignored in bodies.
    Title {
        /// The role.
        role: RoleIdx,
    },
    /// In a job title: a phrase too vague to name `role` alone (`[titles] vague`: "architect"), which names it only
    /// joined to another role's phrase in a dual title ("Tech Lead / Architect"). Ignored in bodies.
    TitleVague {
        /// The role.
        role: RoleIdx,
    },
    /// In a job title: a word for `role`'s field ("security", "data"), a domain when it qualifies another role.
    /// Ignored in bodies.
    TitleField {
        /// The role.
        role: RoleIdx,
    },
    /// In a job title: a seniority word. Ignored in bodies.
    Seniority(Seniority),
    /// In a job title: noise around the role (remote, gender marker, contract, place). Ignored in bodies.
    TitleNoise(Noise),
}

impl UseKind {
    /// Whether this meaning belongs to job titles (and is skipped when scanning a posting's body).
    pub fn is_title(&self) -> bool {
        matches!(
            self,
            UseKind::Title { .. }
                | UseKind::TitleVague { .. }
                | UseKind::TitleField { .. }
                | UseKind::Seniority(_)
                | UseKind::TitleNoise(_)
        )
    }
}

/// Seniority levels a job title can state, lowest first. Seniority never changes the role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Seniority {
    /// Intern, trainee, working student.
    Intern,
    /// Junior, associate, graduate, entry level.
    Junior,
    /// Mid-level, intermediate.
    Mid,
    /// Senior.
    Senior,
    /// Staff.
    Staff,
    /// Principal.
    Principal,
    /// Lead.
    Lead,
    /// Head of.
    Head,
    /// Director.
    Director,
    /// Vice president.
    Vp,
    /// Chief.
    Chief,
}

impl Seniority {
    /// The level's name, as in rule files and output.
    pub fn as_str(&self) -> &'static str {
        match self {
            Seniority::Intern => "intern",
            Seniority::Junior => "junior",
            Seniority::Mid => "mid",
            Seniority::Senior => "senior",
            Seniority::Staff => "staff",
            Seniority::Principal => "principal",
            Seniority::Lead => "lead",
            Seniority::Head => "head",
            Seniority::Director => "director",
            Seniority::Vp => "vp",
            Seniority::Chief => "chief",
        }
    }

    /// Parses a level name.
    pub fn parse(s: &str) -> Option<Seniority> {
        ALL_SENIORITY.into_iter().find(|l| l.as_str() == s)
    }
}

/// Every seniority level, lowest first.
pub const ALL_SENIORITY: [Seniority; 11] = [
    Seniority::Intern,
    Seniority::Junior,
    Seniority::Mid,
    Seniority::Senior,
    Seniority::Staff,
    Seniority::Principal,
    Seniority::Lead,
    Seniority::Head,
    Seniority::Director,
    Seniority::Vp,
    Seniority::Chief,
];

/// What a part of a job title stripped around the role is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Noise {
    /// A place.
    Location,
    /// Remote, hybrid or on-site work.
    Remote,
    /// A gender marker ("(m/w/d)").
    Gender,
    /// A contract type ("full time", "contract").
    Contract,
    /// A requisition or job id.
    Requisition,
    /// A salary.
    Salary,
    /// Anything else beside the role (a team, a product, a language): kept apart, not a role.
    Qualifier,
}

impl Noise {
    /// The kind's name, as in output.
    pub fn as_str(&self) -> &'static str {
        match self {
            Noise::Location => "location",
            Noise::Remote => "remote",
            Noise::Gender => "gender",
            Noise::Contract => "contract",
            Noise::Requisition => "requisition",
            Noise::Salary => "salary",
            Noise::Qualifier => "qualifier",
        }
    }
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
    /// The written phrase this literal is a form of: every form of `prioritise~` (or of one phrase listed in
    /// several places of one role) shares it, so a posting that says "prioritise" and "prioritisation" counts the
    /// phrase once.
    pub group: u32,
    /// Where the phrase is written: the rule file (index into [`RuleSet::files`]) and its byte span.
    pub at: (u32, crate::diag::Span),
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
    /// Regexes (indexes into [`RuleSet::regexes`]) each of whose matches ends with this literal or another of
    /// their tails: where it stands bounds where their tries can match.
    pub tails: Vec<u32>,
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
    /// Where the pattern is written: the rule file (index into [`RuleSet::files`]) and its byte span.
    pub at: (u32, crate::diag::Span),
    /// The bytes a match can hold, for a regex whose matches end with one of its tail literals
    /// ([`Pattern::tails`]); `None` for one without.
    pub(crate) holds: Option<NextBytes>,
    /// The most spaces a match holds, for a regex with `holds` ([`u32::MAX`]: no bound).
    pub(crate) spaces: u32,
    /// The most bytes a match holds, for a regex with `holds` ([`u32::MAX`]: no bound).
    pub(crate) longest: u32,
    compiled: std::sync::OnceLock<Option<Regex>>,
    anchored: std::sync::OnceLock<Option<hybrid::dfa::DFA>>,
}

use regex_automata::hybrid;
use regex_automata::meta::Regex;

/// Compiled size limit per regex (bytes).
pub(crate) const REGEX_SIZE_LIMIT: usize = 1 << 20;

impl RegexRule {
    pub(crate) fn new(source: String, role: RoleIdx, area: u16, global: bool, at: (u32, crate::diag::Span)) -> Self {
        let (compiled, anchored) = (std::sync::OnceLock::new(), std::sync::OnceLock::new());
        RegexRule {
            source,
            role,
            area,
            global,
            at,
            holds: None,
            spaces: u32::MAX,
            longest: u32::MAX,
            compiled,
            anchored,
        }
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

    /// The forward lazy DFA of a literal-anchored rule, for the scan's confirming search (`None` for a global rule,
    /// or when it does not build: [`RegexRule::regex`] then decides). Anchored at the candidate, that search needs
    /// only where the match ends: this engine alone, without the `meta` regex's reverse engines, their NFA and
    /// their per-thread caches, costs a quarter less time (450,000 tries on the bench corpus) and less memory. It
    /// gives up (an error) on a Unicode word boundary in non-ASCII text.
    pub(crate) fn anchored(&self) -> Option<&hybrid::dfa::DFA> {
        self.anchored
            .get_or_init(|| {
                if self.global {
                    return None;
                }
                let nfa = regex_automata::nfa::thompson::Config::new().nfa_size_limit(Some(REGEX_SIZE_LIMIT));
                let dfa = hybrid::dfa::Config::new().unicode_word_boundary(true);
                hybrid::dfa::DFA::builder().thompson(nfa).configure(dfa).build(&format!("^(?:{})", self.source)).ok()
            })
            .as_ref()
    }
}

/// A proximity rule: two sides (each a list of phrase alternatives, in the automaton as [`UseKind::NearAnchor`])
/// within `window` words of each other, in either order, in one sentence or bullet.
#[derive(Debug, Clone)]
pub struct NearRule {
    /// The rule as written (`own~|order~ .. backlog`).
    pub source: String,
    /// The responsibility it supports.
    pub role: RoleIdx,
    /// The area.
    pub area: u16,
    /// Most words between the two sides.
    pub window: u8,
    /// The side the body automaton looks for (the rarer one, by [`crate::compile`](mod@crate::compile)'s estimate); the other side is
    /// looked for only around its anchors.
    pub trigger: u8,
    /// `k^-0.5` when `k` roles write the same rule.
    pub specificity: f64,
    /// Where the rule is written: the rule file (index into [`RuleSet::files`]) and its byte span.
    pub at: (u32, crate::diag::Span),
}

/// A rule-file title example: a job title and the role (and seniority) it must normalise to.
#[derive(Debug, Clone)]
pub struct TitleExample {
    /// The role file holding it.
    pub file: String,
    /// 1-based line of its `title`.
    pub line: usize,
    /// Byte span of its `title` value in the file.
    pub span: crate::diag::Span,
    /// The title as posted.
    pub title: String,
    /// The role id it must give.
    pub role: String,
    /// The seniority it must report, if the example says.
    pub seniority: Option<Seniority>,
}

/// A rule-file example: a short posting and its expected outcome.
#[derive(Debug, Clone)]
pub struct Example {
    /// The role file holding it.
    pub file: String,
    /// 1-based line of its `text`.
    pub line: usize,
    /// Byte span of its `text` value in the file.
    pub span: crate::diag::Span,
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
    /// The literal (index into [`RuleSet::patterns`]).
    pub literal: u32,
    /// First entry in [`RuleSet::meanings`].
    pub first_use: u32,
    /// How many uses.
    pub uses: u32,
    /// First entry in [`RuleSet::candidates`].
    pub first_regex: u32,
    /// How many regexes start with this literal.
    pub regexes: u32,
    /// First entry in [`RuleSet::tail_regexes`].
    pub first_tail: u32,
    /// How many regexes' matches may end with this literal.
    pub tails: u32,
    /// No meaning of the literal is open on the left (`*phrase`): a match without a word boundary before it does
    /// nothing (no meaning holds and no regex is tried).
    pub closed_left: bool,
    /// No meaning of the literal is open on the right (`phrase*`): without a word boundary after it, no meaning
    /// holds.
    pub closed_right: bool,
}

/// A regex to confirm where one of its prefix literals is found, with the bytes that can follow that literal in a
/// match of the regex.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Candidate {
    /// Index into [`RuleSet::regexes`].
    pub regex: u32,
    /// The bytes that can come right after the literal in a match.
    pub next: NextBytes,
}

/// A set of bytes (256 bits): what can follow a regex's prefix literal in a match. Most tries of a regex fail on
/// the very next byte ("years " + "ago" for `years (?:of )?experience`): a candidate whose next byte is not in the
/// set cannot match, and is not tried. [`NextBytes::ANY`] when the literal's next byte is not known (the regex may
/// end with the literal, or the literal extraction stopped there).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NextBytes([u64; 4]);

impl NextBytes {
    /// Every byte, and the end of the text: no filter.
    pub const ANY: NextBytes = NextBytes([u64::MAX; 4]);
    /// No byte yet.
    pub const EMPTY: NextBytes = NextBytes([0; 4]);

    /// Adds byte `b`.
    pub fn insert(&mut self, b: u8) {
        self.0[(b >> 6) as usize] |= 1 << (b & 63);
    }

    /// Adds every byte of `other`.
    pub fn union(&mut self, other: NextBytes) {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a |= b;
        }
    }

    /// Whether a match can go on with `next` (`None`: the text ends right after the literal, which only a regex
    /// that may end there can match).
    #[inline]
    pub fn admits(&self, next: Option<u8>) -> bool {
        match next {
            Some(b) => self.0[(b >> 6) as usize] >> (b & 63) & 1 == 1,
            None => *self == NextBytes::ANY,
        }
    }

    /// Whether every byte of `bytes` is in the set, and they hold at most `spaces` spaces. Where the set holds the
    /// lower-case letters and the space (a regex's bytes nearly always do), sixteen bytes are passed over at once
    /// and only the others are looked up.
    pub fn admits_all(&self, bytes: &[u8], spaces: u32) -> bool {
        const SPACE: u64 = 1 << b' ';
        const LETTERS: u64 = ((1 << 26) - 1) << (b'a' - 64);
        let mut at = 0;
        let mut seen = 0;
        if self.0[0] & SPACE != 0 && self.0[1] & LETTERS == LETTERS {
            while let Some(x) = crate::posting::sixteen::at(bytes, at) {
                let space = x.eq(b' ');
                seen += space.bits().count_ones();
                if seen > spaces {
                    return false;
                }
                let mut others = !(x.within(b'a', b'z') | space).bits() & 0xFFFF;
                while others != 0 {
                    if !self.admits(Some(bytes[at + others.trailing_zeros() as usize])) {
                        return false;
                    }
                    others &= others - 1;
                }
                at += 16;
            }
        }
        let rest = &bytes[at..];
        rest.iter().all(|&b| self.admits(Some(b)))
            && seen + rest.iter().filter(|&&b| b == b' ').count() as u32 <= spaces
    }
}

/// A [`Use`] without its phrase text, for the hot loop.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Meaning {
    pub kind: UseKind,
    pub left_open: bool,
    pub right_open: bool,
    pub specificity: f64,
}

impl Meaning {
    pub(crate) fn from(u: &Use) -> Meaning {
        Meaning { kind: u.kind, left_open: u.left_open, right_open: u.right_open, specificity: u.specificity }
    }
}

/// The compiled pack. Cheap to share (`Arc<RuleSet>` or `&RuleSet`) across threads.
#[derive(Debug)]
pub struct RuleSet {
    pub(crate) roles: Vec<Role>,
    /// Where each role's areas start in a flat per-area table (one more entry than roles: the table's length).
    pub(crate) area_offsets: Vec<usize>,
    pub(crate) patterns: Vec<Pattern>,
    /// The body automaton: every literal a posting's text can use (phrases, names, negatives, cues, regex
    /// prefixes). Its pattern `i` does `body_actions[i]`: the table is in the automaton's order, so a match costs
    /// one look-up.
    pub(crate) automaton: WordLiterals,
    pub(crate) body_actions: Vec<Action>,
    /// The title automaton: every literal with a title meaning (role phrases and names, seniority, noise), run
    /// over titles only, so short title words ("po", "em") cost posting bodies nothing. Its pattern `i` does
    /// `title_actions[i]`. (Each automaton has a table of its own, in its order: one table over every literal
    /// would hold a quarter of a megabyte that no walk reads.)
    pub(crate) title_automaton: AhoCorasick,
    pub(crate) title_actions: Vec<Action>,
    pub(crate) meanings: Vec<Meaning>,
    pub(crate) candidates: Vec<Candidate>,
    /// The regexes each body literal may end ([`Action::first_tail`]).
    pub(crate) tail_regexes: Vec<u32>,
    pub(crate) regexes: Vec<RegexRule>,
    /// Proximity rules.
    pub(crate) near_rules: Vec<NearRule>,
    /// The body patterns below this number are the proximity rules' confirming literals: the body walk keeps
    /// their matches aside, and only those in the stretches around trigger anchors are read.
    pub(crate) confirm_count: usize,
    /// The body patterns below this number (the first confirming literals) do nothing else in a posting's body.
    pub(crate) confirm_only_count: usize,
    /// Per confirming literal (body pattern `k`), the proximity rules it confirms: one bit per rule, in
    /// `near_rules.len().div_ceil(64)` words from `k` times that.
    pub(crate) confirm_rules: Vec<u64>,
    /// Per proximity rule, the most words and bytes of its confirming literals: how far beyond the reach around a
    /// trigger anchor its partner can stand.
    pub(crate) near_partners: Vec<(usize, usize)>,
    /// Words that keep a company sentence about the job ("you", "this role"), ASCII case-insensitive: run only
    /// over the few sentences a company phrase marks, so these common words cost the body scan nothing.
    pub(crate) job_automaton: Option<Literals>,
    /// Cues before a role's name that make it someone else ("reports to the", "with a", "your"), ASCII
    /// case-insensitive over normalised text: looked for only in the few bytes before a name mention, so these
    /// common words cost the body scan nothing.
    pub(crate) other_automaton: Option<Literals>,
    /// Cues after a role's name that make it someone else ("reports to you"), looked for the same way in the few
    /// bytes after a name mention.
    pub(crate) other_after_automaton: Option<Literals>,
    /// Words that, opening a sentence, make it company prose ("we", "our"; normalised): checked only at the start of
    /// the sentences that hold evidence.
    pub(crate) company_starts: Vec<String>,
    /// Title-noise regexes (salary, requisition id, gender marker, place), run over a normalised title.
    pub(crate) title_regexes: Vec<(Noise, RegexRule)>,
    /// Every title-noise regex in one, built on first use: a title that none of them matches (most titles) costs
    /// one pass instead of one per regex.
    pub(crate) title_noise_any: std::sync::OnceLock<Option<Regex>>,
    /// Normalised words that join the roles of a dual title ("and"), and that introduce a place ("in"). Kept out
    /// of the automaton: they are common words, and bodies would pay for every occurrence.
    pub(crate) title_joiners: Vec<String>,
    pub(crate) location_before: Vec<String>,
    /// Title examples of every role file.
    pub(crate) title_examples: Vec<TitleExample>,
    pub(crate) global_regexes: Vec<u32>,
    pub(crate) negation_gap: usize,
    pub(crate) background_gap: usize,
    pub(crate) examples: Vec<Example>,
    pub(crate) hash: String,
    pub(crate) languages: Vec<String>,
    pub(crate) phrase_count: usize,
    /// The rule files, in pack order (names as given).
    pub(crate) files: Vec<String>,
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

    /// The index of role `id`, or the message every face gives for an unknown one (naming the pack's roles).
    pub fn role_index(&self, id: &str) -> Result<RoleIdx, String> {
        self.role(id).map(|(i, _)| i).ok_or_else(|| {
            let ids: Vec<&str> = self.roles.iter().map(|r| r.id.as_str()).collect();
            format!("no role `{id}` in the pack; roles: {}", ids.join(", "))
        })
    }

    /// A short hash identifying the compiled pack: the same rules give the same hash on every machine.
    pub fn hash(&self) -> &str {
        &self.hash
    }

    /// The rule files of the pack, in order.
    pub fn files(&self) -> &[String] {
        &self.files
    }

    /// Every literal of the automaton with its meanings (for tools: lint, explain, statistics).
    pub fn patterns(&self) -> &[Pattern] {
        &self.patterns
    }

    /// Every regex signal.
    pub fn regexes(&self) -> &[RegexRule] {
        &self.regexes
    }

    /// Every proximity rule.
    pub fn near_rules(&self) -> &[NearRule] {
        &self.near_rules
    }

    /// The title examples of every role file, in pack order.
    pub fn title_examples(&self) -> &[TitleExample] {
        &self.title_examples
    }

    /// The pack's posting examples, in pack order.
    pub fn examples(&self) -> &[Example] {
        &self.examples
    }

    /// Language ids of the pack's language files.
    pub fn languages(&self) -> &[String] {
        &self.languages
    }

    /// All title-noise regexes as one (see `title_noise_any`); `None` when there are none or they do not build.
    pub(crate) fn title_noise_any(&self) -> Option<&Regex> {
        self.title_noise_any
            .get_or_init(|| {
                if self.title_regexes.is_empty() {
                    return None;
                }
                let config = regex_automata::meta::Config::new().nfa_size_limit(Some(REGEX_SIZE_LIMIT));
                let sources: Vec<&str> = self.title_regexes.iter().map(|(_, r)| r.source.as_str()).collect();
                Regex::builder().configure(config).build_many(&sources).ok()
            })
            .as_ref()
    }

    /// Number of distinct literals (body and title automata together).
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

    /// The bare body automaton over `haystack` (all overlapping matches, no normalisation, boundaries or scoring):
    /// the benchmark's "raw scan" baseline. Returns the number of matches.
    pub fn raw_scan(&self, haystack: &[u8]) -> usize {
        self.automaton.overlapping(haystack, &[], 0).count()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_byte_set_admits_all_bytes_exactly_when_it_admits_each() {
        use super::NextBytes;
        let words = {
            let mut n = NextBytes::EMPTY;
            (b'a'..=b'z').chain([b' ', b'0', b'&']).for_each(|b| n.insert(b));
            n
        };
        let digits = {
            let mut n = NextBytes::EMPTY;
            (b'0'..=b'9').for_each(|b| n.insert(b));
            n
        };
        // Texts of every length around the sixteen-byte blocks, with one byte of each value at each place.
        for set in [words, digits, NextBytes::ANY, NextBytes::EMPTY] {
            for len in [0, 1, 15, 16, 17, 33, 40] {
                for at in 0..len {
                    for b in [b'a', b' ', b'0', b'&', b'.', b'Z', 0xC3, b'5'] {
                        let mut text = vec![b'q'; len];
                        text[at] = b;
                        if at > 0 {
                            text[at - 1] = b' ';
                        }
                        let each = text.iter().all(|&b| set.admits(Some(b)));
                        assert_eq!(set.admits_all(&text, u32::MAX), each, "{text:?}");
                        let spaces = text.iter().filter(|&&b| b == b' ').count() as u32;
                        for most in [0, 1, 2] {
                            assert_eq!(set.admits_all(&text, most), each && spaces <= most, "{most} {text:?}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn rule_set_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<super::RuleSet>();
    }

    #[test]
    fn the_anchored_search_ends_where_the_full_regex_does() {
        use regex_automata::{Anchored, Input};
        let rules = crate::default_rules().unwrap();
        let texts: Vec<String> =
            rules.examples().iter().map(|e| crate::posting::Normalized::new(&e.text).text).collect();
        let (mut tried, mut matched) = (0, 0);
        for re in rules.regexes().iter().filter(|r| !r.global) {
            let dfa = re.anchored().unwrap_or_else(|| panic!("`{}` has no lazy DFA", re.source));
            let full = re.regex().unwrap();
            let mut cache = dfa.create_cache();
            for text in &texts {
                let starts = std::iter::once(0).chain(text.match_indices(' ').map(|(i, _)| i + 1));
                for at in starts.filter(|&i| i < text.len()) {
                    let input = Input::new(&text[at..]).anchored(Anchored::Yes);
                    let end = full.search(&input).map(|m| m.end());
                    assert_eq!(
                        dfa.try_search_fwd(&mut cache, &input).unwrap().map(|h| h.offset()),
                        end,
                        "`{}`",
                        re.source
                    );
                    tried += 1;
                    matched += usize::from(end.is_some());
                }
            }
        }
        assert!(matched > 50 && tried > 10 * matched, "{matched} of {tried}");
    }
}
