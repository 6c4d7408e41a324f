//! Rule files: the serde mirror of the TOML schema, and loading a pack's sources in order.
//!
//! A pack is an ordered list of [`Source`]s (name + text). Each `*.toml` source is either a role file
//! ([`RoleFile`]) or, when it has a top-level `[language]` table, a language file ([`LanguageFile`]). Every struct
//! denies unknown fields, and values that later checks must point at are [`Spanned`], so the compiler can report
//! `file:line:col`. This module only parses; semantic checks (ids, weights, regexes, duplicates) live in
//! `compile.rs`. The schema is documented for rule authors in `rules/README.md`.

// A `Diagnostic` is returned only when a file is broken, so returning it by value (not boxed) costs nothing.
#![allow(clippy::result_large_err)]

use crate::diag::{codes, Diagnostic, Span};
use serde::Deserialize;
use std::path::Path;
use toml::Spanned;

/// One rule file's name (as shown in diagnostics) and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// Display name, e.g. `rules/cto.toml`.
    pub name: String,
    /// The file's text.
    pub text: String,
}

/// A role's responsibility profile, as written in its TOML file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleFile {
    /// Kebab-case id, unique in the pack.
    pub id: Spanned<String>,
    /// Display name.
    pub name: String,
    /// Family id (e.g. `product`).
    pub family: Spanned<String>,
    /// One-line summary.
    pub summary: String,
    /// How postings name this role ("as our Product Owner ...").
    #[serde(default)]
    pub names: Vec<Spanned<String>>,
    /// Roles whose work this role includes ("a tech lead does a software engineer's work, and leads"): a share
    /// of the best of their scores is added to this role's score.
    #[serde(default)]
    pub builds_on: Vec<Spanned<String>>,
    /// The share of the `builds_on` role's evidence added (0.0 ..= 1.0; default 0.7).
    #[serde(default)]
    pub builds_on_share: Option<Spanned<f64>>,
    /// How much evidence the role's distinguishing areas need together before it counts in full (0.1 ..= 5.0;
    /// default [`crate::ruleset::MIN_DISTINGUISHING`]).
    #[serde(default)]
    pub distinguishing_min: Option<Spanned<f64>>,
    /// Areas (ids of this role's areas) of which some must also score, at least 0.6 together, for the role to be
    /// distinguished: a conjunction ("a program, and technical"). Empty: the distinguishing areas alone decide.
    #[serde(default)]
    pub distinguishing_with: Vec<Spanned<String>>,
    /// Responsibility areas.
    pub areas: Vec<AreaSpec>,
    /// The candidate's history that fits the role ("years as a software engineer" for a TPM): counted only inside
    /// a background clause, as its own area and evidence kind.
    #[serde(default)]
    pub background: Option<BackgroundSpec>,
    /// Cues that argue against the role.
    #[serde(default)]
    pub negative: Option<NegativeSpec>,
    /// Example postings with their expected outcome.
    #[serde(default)]
    pub examples: Vec<ExampleSpec>,
    /// How job titles name the role (besides `names`), with example titles.
    #[serde(default)]
    pub titles: Option<TitlesSpec>,
}

/// A role's job-title variants: every `names` entry is a title phrase too; these add title-only variants.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TitlesSpec {
    /// Title-only phrases: abbreviations and variants ("tpo", "tech po", "product owner (technical)").
    #[serde(default)]
    pub phrases: Vec<Spanned<String>>,
    /// Words a title's qualifier uses for this role's field ("Security" in "Security Program Manager", "Data" in
    /// "Data Architect"): a body that describes this role under such a title works in the title's own field and
    /// does not drift from it.
    #[serde(default)]
    pub fields: Vec<Spanned<String>>,
    /// Title phrases too vague to name the role alone ("architect": building, landscape and go-to-market architects
    /// are posted too): they name it only joined to another role's phrase in a dual title ("Tech Lead /
    /// Architect", "Product Manager/Architect"); alone ("Architect", "Procurement Architect") the title names no
    /// role.
    #[serde(default)]
    pub vague: Vec<Spanned<String>>,
    /// Roles whose work a title naming this role is commonly used for ("Solutions Architect" over an engineer's
    /// hands-on work, "Business Analyst" over reporting and BI): a body that reads as one of them under such a title
    /// fits it, and title drift does not flag it. Role ids of the pack.
    #[serde(default)]
    pub covers: Vec<Spanned<String>>,
    /// The title names a function that every trade has ("Operations Manager", "Program Manager"), not a trade:
    /// a body of another family under it is one of the trades the title leaves unsaid, so title drift from it is
    /// `unknown`, never `far`.
    #[serde(default)]
    pub umbrella: bool,
    /// Titles that must normalise to this role.
    #[serde(default)]
    pub examples: Vec<TitleExampleSpec>,
}

/// A job title and what normalising it must give.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TitleExampleSpec {
    /// The title as posted.
    pub title: Spanned<String>,
    /// The seniority it must report (`intern` .. `chief`), if any.
    #[serde(default)]
    pub seniority: Option<Spanned<String>>,
}

/// One responsibility area of a role.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AreaSpec {
    /// Kebab-case id, unique within the role.
    pub id: Spanned<String>,
    /// Display name.
    pub name: String,
    /// How central the area is (0.1 ..= 3.0).
    pub weight: Spanned<f64>,
    /// Literal phrases (see `rules/README.md` for the phrase syntax).
    #[serde(default)]
    pub phrases: Vec<Spanned<String>>,
    /// Regexes over the normalised text, each starting with a literal.
    #[serde(default)]
    pub patterns: Vec<Spanned<String>>,
    /// Proximity rules: `"own~|order~ .. backlog"`, two sides within a few words of each other, in either order,
    /// in one sentence or bullet (see `rules/README.md`).
    #[serde(default)]
    pub near: Vec<Spanned<String>>,
    /// The area tells this role apart from its neighbours: a role that declares distinguishing areas needs
    /// evidence in one of them to win a verdict on shared evidence alone.
    #[serde(default)]
    pub distinguishing: bool,
}

/// A role's background profile: what the candidate's past work looks like when it fits the role.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackgroundSpec {
    /// How much a fitting background adds (0.1 ..= 3.0), like an area's weight.
    pub weight: Spanned<f64>,
    /// Phrases (past jobs, fields), counted only inside a background clause.
    #[serde(default)]
    pub phrases: Vec<Spanned<String>>,
    /// Proximity rules, as in an area.
    #[serde(default)]
    pub near: Vec<Spanned<String>>,
}

/// Phrases that argue against a role.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NegativeSpec {
    /// The phrases.
    #[serde(default)]
    pub phrases: Vec<Spanned<String>>,
}

/// A short posting and what it must (or must not) produce.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExampleSpec {
    /// The role id the text must produce, or `other`.
    pub expect: Option<Spanned<String>>,
    /// A role id the text must not produce.
    pub reject: Option<Spanned<String>>,
    /// The posting text.
    pub text: Spanned<String>,
    /// Phrases that must appear among the verdict's evidence.
    #[serde(default)]
    pub evidence: Vec<Spanned<String>>,
}

/// A language file: the cue words of one language.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageFile {
    /// The cues.
    pub language: LanguageSpec,
}

/// Negation and boilerplate cues of one language.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageSpec {
    /// Language id, e.g. `en`.
    pub id: Spanned<String>,
    /// A cue before a phrase, in the same clause, negates it ("no", "not a").
    #[serde(default)]
    pub negation_before: Vec<Spanned<String>>,
    /// A cue after a phrase, in the same clause, negates it ("is not required").
    #[serde(default)]
    pub negation_after: Vec<Spanned<String>>,
    /// Longer phrases that contain a cue but do not negate ("not only").
    #[serde(default)]
    pub negation_ignore: Vec<Spanned<String>>,
    /// A cue before a role's name, in the same clause, means the name is someone else ("reports to the",
    /// "work closely with"): that name mention does not count.
    #[serde(default)]
    pub other_person_before: Vec<Spanned<String>>,
    /// A cue after a role's name, in the same clause, means the same ("reports to you", "who report to you").
    #[serde(default)]
    pub other_person_after: Vec<Spanned<String>>,
    /// Most bytes between a cue and the phrase it negates.
    #[serde(default)]
    pub negation_gap: Option<Spanned<i64>>,
    /// Heading lines that start a boilerplate section ("about us", "benefits").
    #[serde(default)]
    pub boilerplate_headings: Vec<Spanned<String>>,
    /// Heading lines that end a boilerplate section ("responsibilities").
    #[serde(default)]
    pub content_headings: Vec<Spanned<String>>,
    /// Phrases that make their sentence boilerplate ("equal opportunity employer").
    #[serde(default)]
    pub boilerplate_phrases: Vec<Spanned<String>>,
    /// Phrases that make their sentence company prose ("our mission", "backed by", "we are a"), unless the sentence
    /// speaks of the job (a `job_phrases` cue: "you", "this role").
    #[serde(default)]
    pub company_phrases: Vec<Spanned<String>>,
    /// Words that, opening a sentence, make it company prose ("we", "our"), unless it speaks of the job.
    #[serde(default)]
    pub company_sentence_starts: Vec<Spanned<String>>,
    /// Words that keep a sentence about the job although it has a company phrase ("you", "your", "this role").
    #[serde(default)]
    pub job_phrases: Vec<Spanned<String>>,
    /// Words most postings use ("team", "users"): a proximity rule's side made of them is looked for only near
    /// its other side, which keeps the scan fast. They change no verdict.
    #[serde(default)]
    pub common_words: Vec<Spanned<String>>,
    /// A cue before a phrase, in the same clause, makes it the candidate's background ("years as a", "former").
    #[serde(default)]
    pub background_before: Vec<Spanned<String>>,
    /// A cue after a phrase, in the same clause, makes it the candidate's background ("before moving into").
    #[serde(default)]
    pub background_after: Vec<Spanned<String>>,
    /// Most bytes between a background cue and the phrase it reaches.
    #[serde(default)]
    pub background_gap: Option<Spanned<i64>>,
    /// How a word written `word~` in a phrase is inflected.
    #[serde(default)]
    pub inflection: Option<InflectionSpec>,
    /// Cues for reading job titles.
    #[serde(default)]
    pub titles: Option<TitleCuesSpec>,
}

/// How a language inflects a word written `word~` in a phrase: endings appended (with the spelling rules below),
/// and spelling variants of a word's ending.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InflectionSpec {
    /// Endings added to the word ("s", "ed", "ing", "ation"): a final `e` is dropped before an ending that starts
    /// with a vowel, a final consonant + `y` becomes `ie` before `s`/`d` endings, and a short word's last consonant
    /// may double ("plan" → "planning").
    #[serde(default)]
    pub endings: Vec<Spanned<String>>,
    /// Pairs of word endings that spell the same word ("ise" and "ize"): a word ending in one also takes the other.
    #[serde(default)]
    pub spellings: Vec<Spanned<Vec<String>>>,
}

/// How a language's job titles mark seniority and the noise around the role.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TitleCuesSpec {
    /// Seniority words per level.
    #[serde(default)]
    pub seniority: SenioritySpec,
    /// Words that join two roles in a dual title ("and", "/", "&").
    #[serde(default)]
    pub joiners: Vec<Spanned<String>>,
    /// Remote or hybrid work ("remote", "hybrid", "work from home").
    #[serde(default)]
    pub remote: Vec<Spanned<String>>,
    /// Gender markers ("m/w/d", "all genders"); see also `gender_patterns`.
    #[serde(default)]
    pub gender: Vec<Spanned<String>>,
    /// Contract types ("full time", "contract", "freelance").
    #[serde(default)]
    pub contract: Vec<Spanned<String>>,
    /// Words that introduce a place ("in", "based in").
    #[serde(default)]
    pub location_before: Vec<Spanned<String>>,
    /// Place names that mark a title part as a location.
    #[serde(default)]
    pub places: Vec<Spanned<String>>,
    /// Fields of work that hold a role's word but name no role ("developer relations", "developer experience"): a
    /// qualifier where they stand, and a role phrase inside one names nothing ("Director, Developer Relations" is
    /// no developer).
    #[serde(default)]
    pub qualifiers: Vec<Spanned<String>>,
    /// Regexes (on the normalised title) for gender markers.
    #[serde(default)]
    pub gender_patterns: Vec<Spanned<String>>,
    /// Regexes for requisition and job ids.
    #[serde(default)]
    pub requisition_patterns: Vec<Spanned<String>>,
    /// Regexes for salaries.
    #[serde(default)]
    pub salary_patterns: Vec<Spanned<String>>,
    /// Regexes for locations ("city, st").
    #[serde(default)]
    pub location_patterns: Vec<Spanned<String>>,
}

/// Seniority words by level, lowest first.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SenioritySpec {
    /// Intern, trainee.
    #[serde(default)]
    pub intern: Vec<Spanned<String>>,
    /// Junior, associate, graduate.
    #[serde(default)]
    pub junior: Vec<Spanned<String>>,
    /// Mid-level.
    #[serde(default)]
    pub mid: Vec<Spanned<String>>,
    /// Senior.
    #[serde(default)]
    pub senior: Vec<Spanned<String>>,
    /// Staff.
    #[serde(default)]
    pub staff: Vec<Spanned<String>>,
    /// Principal.
    #[serde(default)]
    pub principal: Vec<Spanned<String>>,
    /// Lead.
    #[serde(default)]
    pub lead: Vec<Spanned<String>>,
    /// Head of.
    #[serde(default)]
    pub head: Vec<Spanned<String>>,
    /// Director.
    #[serde(default)]
    pub director: Vec<Spanned<String>>,
    /// Vice president.
    #[serde(default)]
    pub vp: Vec<Spanned<String>>,
    /// Chief.
    #[serde(default)]
    pub chief: Vec<Spanned<String>>,
}

impl SenioritySpec {
    /// Each level's phrases, lowest level first.
    pub fn levels(&self) -> [(crate::ruleset::Seniority, &Vec<Spanned<String>>); 11] {
        use crate::ruleset::Seniority as S;
        [
            (S::Intern, &self.intern),
            (S::Junior, &self.junior),
            (S::Mid, &self.mid),
            (S::Senior, &self.senior),
            (S::Staff, &self.staff),
            (S::Principal, &self.principal),
            (S::Lead, &self.lead),
            (S::Head, &self.head),
            (S::Director, &self.director),
            (S::Vp, &self.vp),
            (S::Chief, &self.chief),
        ]
    }
}

/// A parsed rule file.
#[derive(Debug)]
pub enum ParsedFile {
    /// A role profile.
    Role(Box<RoleFile>),
    /// A language's cues.
    Language(Box<LanguageFile>),
}

/// Whether [`parse`] reads `source` as a language file: a line opens its `[language]` table.
pub fn is_language(source: &Source) -> bool {
    source.text.lines().any(|l| l.trim_start().starts_with("[language]"))
}

/// Parses one source. Syntax errors give `R001`, schema errors (unknown key, missing key, wrong type) `R002`.
///
/// A file is a language file when a line opens its `[language]` table; the file is parsed once, as that type. Only
/// when parsing fails is it parsed again as plain TOML, to tell a syntax error from a schema error.
pub fn parse(source: &Source) -> Result<ParsedFile, Diagnostic> {
    let parsed = if is_language(source) {
        toml::from_str::<LanguageFile>(&source.text).map(|l| ParsedFile::Language(Box::new(l)))
    } else {
        toml::from_str::<RoleFile>(&source.text).map(|r| ParsedFile::Role(Box::new(r)))
    };
    parsed.map_err(|e| match toml::from_str::<toml::Table>(&source.text) {
        Err(syntax) => toml_diag(source, codes::TOML_SYNTAX, &syntax),
        Ok(_) => toml_diag(source, codes::SCHEMA, &e),
    })
}

fn toml_diag(source: &Source, code: &'static str, e: &toml::de::Error) -> Diagnostic {
    let span = e.span().map(Span::from);
    let message = e.message().trim().to_string();
    let hint = if message.contains("unknown field") {
        "check the key's spelling against rules/README.md; unknown keys are errors, not silently ignored"
    } else if message.contains("missing field") {
        "every role needs id, name, family, summary and areas; every area needs id, name and weight"
    } else if code == codes::TOML_SYNTAX {
        "the file is not valid TOML"
    } else {
        "see rules/README.md for the schema"
    };
    let what = if code == codes::TOML_SYNTAX { "TOML syntax error" } else { "rule file schema error" };
    Diagnostic::error(code, &source.name, &source.text, span, format!("{what}: {message}")).with_hint(hint)
}

/// Reads every `*.toml` file of `dir` (not recursive), in file-name order, as sources named by their path.
pub fn read_dir(dir: &Path) -> Result<Vec<Source>, Diagnostic> {
    let io_err = |what: &str, e: std::io::Error| {
        Diagnostic::error(codes::IO, &dir.display().to_string(), "", None, format!("{what}: {e}"))
            .with_hint("--rules and --rules-add take a folder of *.toml rule files")
    };
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| io_err("cannot read the rule folder", e))? {
        let path = entry.map_err(|e| io_err("cannot read the rule folder", e))?.path();
        if path.extension().is_some_and(|x| x == "toml") && path.is_file() {
            paths.push(path);
        }
    }
    paths.sort();
    let mut out = Vec::with_capacity(paths.len());
    for path in paths {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Diagnostic::error(codes::IO, &name, "", None, format!("cannot read rule file: {e}"))
                .with_hint("rule files must be readable UTF-8 text")
        })?;
        out.push(Source { name, text });
    }
    Ok(out)
}

/// The default pack, embedded in the binary at build time (every `rules/*.toml`, in file-name order).
pub fn embedded() -> Vec<Source> {
    EMBEDDED.iter().map(|(name, text)| Source { name: (*name).to_string(), text: (*text).to_string() }).collect()
}

include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));

#[cfg(test)]
mod tests {
    use super::*;

    fn src(text: &str) -> Source {
        Source { name: "rules/t.toml".into(), text: text.into() }
    }

    #[test]
    fn unknown_key_is_a_schema_error_with_a_place() {
        let s = src("id = \"a\"\nname = \"A\"\nfamily = \"f\"\nsummary = \"s\"\nareas = []\nnmaes = [\"x\"]\n");
        let d = parse(&s).unwrap_err();
        assert_eq!(d.code, codes::SCHEMA);
        assert_eq!(d.line, 6, "{d}");
        assert!(d.message.contains("nmaes"), "{d}");
    }

    #[test]
    fn syntax_error_is_r001() {
        let d = parse(&src("id = \"a\nname = 3")).unwrap_err();
        assert_eq!(d.code, codes::TOML_SYNTAX);
        assert!(d.line >= 1);
    }

    #[test]
    fn language_table_selects_language_file() {
        let p = parse(&src("[language]\nid = \"en\"\nnegation_before = [\"no\"]\n")).unwrap();
        assert!(matches!(p, ParsedFile::Language(_)));
    }

    #[test]
    fn embedded_pack_is_not_empty_and_sorted() {
        let e = embedded();
        assert!(e.len() >= 15, "expected the default pack, got {} files", e.len());
        assert!(e.windows(2).all(|w| w[0].name < w[1].name));
    }
}
