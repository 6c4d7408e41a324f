//! A newcomer's cases (issue 10), written blind in our own words (`fixtures/newcomer/`, see its README): a
//! Technical Product Owner ad in plain words, with and without its title line; a Technical Program Manager ad whose
//! engineering background and risk work must score; an intern ad that ends in hiring boilerplate. Then the wording
//! mechanisms on the blind-written short texts of `mechanisms.toml`: with the default pack where the pack's own
//! phrases are the point, with a small pack of our own where the mechanism is.

use rolecall::scan::{HitKind, Signal};
use rolecall::{Posting, RuleSet, Session, Source};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/fixtures/newcomer/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn case(name: &str) -> String {
    let all: toml::Table = toml::from_str(&fixture("mechanisms.toml")).unwrap();
    let cases = all["case"].as_array().unwrap();
    let c = cases.iter().find(|c| c["name"].as_str() == Some(name)).unwrap_or_else(|| panic!("no case {name}"));
    c["text"].as_str().unwrap().to_string()
}

fn default_rules() -> RuleSet {
    rolecall::default_rules().unwrap()
}

#[test]
fn a_plain_words_tpo_ad_is_a_tpo_with_and_without_its_title_line() {
    let rules = default_rules();
    let mut scanner = Session::new(&rules);
    for name in ["tpo-plain-words.txt", "tpo-plain-words-untitled.txt"] {
        let text = fixture(name);
        let c = scanner.classify(Posting::new(&text));
        assert_eq!(c.role_id(), "technical-product-owner", "{name}: {:?}", c.top_phrases(&text, 8));
        // "4+ years as a software developer" is the candidate's past: it never names the job.
        let dev = rules.role("software-engineer").unwrap().0;
        for e in c.evidence.iter().filter(|e| e.hit.kind == HitKind::Name { role: dev }) {
            assert!(
                e.hit.background && !e.counted,
                "{name}: {:?} counts as naming the job",
                &text[e.hit.start..e.hit.end]
            );
        }
    }
}

#[test]
fn a_tpm_ad_scores_its_background_and_its_risk_work() {
    let rules = default_rules();
    let text = fixture("tpm-background-risks.txt");
    let c = Session::new(&rules).classify(Posting::new(&text));
    assert_eq!(c.role_id(), "technical-program-manager");
    let (tpm, role) = rules.role("technical-program-manager").unwrap();
    let ranked = c.ranking.iter().find(|s| s.role == tpm).unwrap();
    let background = role.areas.iter().position(|a| a.background).expect("the TPM profile has a background");
    assert!(ranked.areas[background].score > 0.0, "the engineering background scores");
    let risk = c.evidence.iter().any(|e| {
        let t = text[e.hit.start..e.hit.end].to_lowercase();
        e.counted && e.hit.kind.role() == tpm && (t.contains("risk") || t.contains("mitigat") || t.contains("escalat"))
    });
    assert!(risk, "risk, mitigation or escalation work counts for the TPM: {:?}", c.top_phrases(&text, 10));
}

#[test]
fn an_intern_ad_ending_in_hiring_boilerplate_is_not_a_recruiter() {
    let rules = default_rules();
    let text = fixture("intern-hiring-boilerplate.txt");
    let c = Session::new(&rules).classify(Posting::new(&text));
    assert_ne!(c.role_id(), "recruiter");
    assert_eq!(c.role_id(), "software-engineer");
    let recruiter = rules.role("recruiter").unwrap().0;
    // Every mention of recruiting is hiring prose (boilerplate) or a colleague ("a phone screen with a recruiter").
    for e in c.evidence.iter().filter(|e| e.hit.kind.role() == recruiter) {
        let silent = e.hit.boilerplate || e.hit.elsewhere || e.hit.negated;
        assert!(silent, "{:?} votes for recruiter outside the hiring prose", &text[e.hit.start..e.hit.end]);
    }
}

#[test]
fn named_past_jobs_are_background_not_the_job() {
    let rules = default_rules();
    let text = case("background-named-past-job");
    let c = Session::new(&rules).classify(Posting::new(&text));
    assert_eq!(c.role_id(), "product-owner");
    let past: Vec<&str> = c
        .evidence
        .iter()
        .filter(|e| matches!(e.hit.kind, HitKind::Name { .. }) && e.hit.background)
        .map(|e| &text[e.hit.start..e.hit.end])
        .collect();
    assert!(past.iter().any(|t| t.eq_ignore_ascii_case("software developer")), "{past:?}");
    assert!(c
        .evidence
        .iter()
        .filter(|e| e.hit.background && matches!(e.hit.kind, HitKind::Name { .. }))
        .all(|e| !e.counted));
}

#[test]
fn company_and_hiring_prose_without_headings_do_not_vote() {
    let rules = default_rules();
    let mut scanner = Session::new(&rules);
    let text = case("company-prose-no-headings");
    let job = text.find("You will join").unwrap();
    let c = scanner.classify(Posting::new(&text));
    for e in c.evidence.iter().filter(|e| e.hit.start < job) {
        assert!(e.hit.boilerplate, "{:?} in the company paragraph votes", &text[e.hit.start..e.hit.end]);
    }
    let text = case("hiring-prose-no-headings");
    let c = scanner.classify(Posting::new(&text));
    assert!(c.evidence.iter().all(|e| e.hit.boilerplate), "hiring prose votes");
    assert_eq!(c.role_id(), "other");
}

/// Names of the people the job works beside, in the default pack's language cues: listed after a colleague cue,
/// or doing duties that sit with them ("handled by the Engineering Manager"), they are someone else's names and
/// never name the job.
#[test]
fn colleagues_named_in_a_list_or_as_doing_other_duties_are_someone_else() {
    let rules = default_rules();
    let mut scanner = Session::new(&rules);
    let names = |scanner: &mut Session, text: &str| -> Vec<(String, bool)> {
        let c = scanner.classify(Posting::new(text));
        c.evidence
            .iter()
            .filter(|e| matches!(e.hit.kind, HitKind::Name { .. }))
            .map(|e| (text[e.hit.start..e.hit.end].to_string(), e.hit.elsewhere))
            .collect()
    };
    let list = "You write the process documentation and take direction from your Team Lead, Project Manager, \
        Product Owner and Scrum Master.";
    let got = names(&mut scanner, list);
    assert!(got.len() >= 3 && got.iter().all(|(_, other)| *other), "{got:?}");
    let lead = "You lead the technical work of the checkout team of five developers and still write code most days: \
        you set the technical direction of the team, review pull requests and mentor the two juniors. Hiring, \
        appraisals and other people matters are handled by the Engineering Manager, with whom you plan each quarter.";
    assert_eq!(names(&mut scanner, lead), vec![("Engineering Manager".to_string(), true)]);
    assert_eq!(scanner.classify(Posting::new(lead)).role_id(), "tech-lead");
}

/// A small pack of our own: the mechanisms, not the default pack's wording.
fn mechanism_pack() -> RuleSet {
    let role = r#"
id = "owner"
name = "Owner"
family = "product"
summary = "s"
[[areas]]
id = "work"
name = "Work"
weight = 2.0
phrases = ["prioritise~", "risk~ mitigation~"]
near = ["own~|order~ .. backlog"]
"#;
    let lang = "[language]\nid = \"en\"\n[language.inflection]\nendings = [\"s\", \"es\", \"ed\", \"ing\", \"ation\"]\nspellings = [[\"ise\", \"ize\"]]\n";
    let src = |n: &str, t: &str| Source { name: n.into(), text: t.into() };
    rolecall::compile(&[src("owner.toml", role), src("en.toml", lang)]).unwrap().rules
}

fn near_hits(rules: &RuleSet, text: &str) -> Vec<String> {
    let mut scanner = Session::new(rules);
    scanner
        .scan(text)
        .iter()
        .filter(|h| matches!(h.signal, Signal::Near { .. }))
        .map(|h| text[h.start..h.end].to_string())
        .collect()
}

#[test]
fn proximity_holds_in_either_order_and_stops_at_a_sentence() {
    let rules = mechanism_pack();
    let either = near_hits(&rules, &case("proximity-either-order"));
    assert_eq!(either.len(), 2, "one pair per bullet, verb first and noun first: {either:?}");
    assert!(either[0].to_lowercase().starts_with("own") && either[1].starts_with("backlog"), "{either:?}");
    assert!(
        near_hits(&rules, &case("proximity-across-sentence")).is_empty(),
        "'we own it. Backlog ...' is two sentences"
    );
}

#[test]
fn inflected_forms_match_and_count_once() {
    let rules = mechanism_pack();
    let text = case("inflections");
    let c = Session::new(&rules).classify(Posting::new(&text));
    let found: Vec<String> = c.evidence.iter().map(|e| text[e.hit.start..e.hit.end].to_lowercase()).collect();
    for want in ["prioritising", "prioritisation", "risk mitigations"] {
        assert!(found.iter().any(|f| f == want), "{want} in {found:?}");
    }
    assert_eq!(c.ranking[0].areas[0].phrases, 2, "prioritising and prioritisation are one written phrase");
}
