//! Every example of every rule file in the default pack must hold, and every focus role must carry enough of them.

use rolecall::{examples, Session};

#[test]
fn every_rule_example_holds() {
    let rules = rolecall::default_rules().expect("default pack compiles");
    let mut scanner = Session::new(&rules);
    let mut failures = Vec::new();
    for ex in rules.examples() {
        if let Err(why) = examples::check(&mut scanner, ex) {
            failures.push(format!("{}:{}: {why}", ex.file, ex.line));
        }
    }
    assert!(!rules.examples().is_empty(), "no examples ran");
    assert!(
        failures.is_empty(),
        "{} of {} examples fail:\n{}",
        failures.len(),
        rules.examples().len(),
        failures.join("\n")
    );
}

#[test]
fn every_title_example_holds_and_every_role_has_some() {
    let rules = rolecall::default_rules().expect("default pack compiles");
    let mut scanner = Session::new(&rules);
    let failures: Vec<String> = rules
        .title_examples()
        .iter()
        .filter_map(|ex| {
            examples::check_title(&mut scanner, ex).err().map(|why| format!("{}:{}: {why}", ex.file, ex.line))
        })
        .collect();
    assert!(failures.is_empty(), "{} title examples fail:\n{}", failures.len(), failures.join("\n"));
    for role in rules.roles() {
        let n = rules.title_examples().iter().filter(|e| e.role == role.id).count();
        assert!(n >= 2, "{}: {n} title examples (need 2)", role.id);
    }
}

#[test]
fn focus_roles_have_positive_and_near_miss_examples() {
    let rules = rolecall::default_rules().unwrap();
    for role in rules.roles().iter().filter(|r| rolecall::eval::is_focus(&rules, &r.id)) {
        let pos = rules.examples().iter().filter(|e| e.expect.as_deref() == Some(role.id.as_str())).count();
        let neg = rules.examples().iter().filter(|e| e.reject.as_deref() == Some(role.id.as_str())).count();
        assert!(pos >= 3 && neg >= 2, "{}: {pos} positive and {neg} near-miss examples (need 3 and 2)", role.id);
    }
}

#[test]
fn default_pack_has_the_focus_roles_and_neighbours() {
    let rules = rolecall::default_rules().unwrap();
    let family =
        |id: &str| rules.role(id).map(|(_, r)| r.family.clone()).unwrap_or_else(|| panic!("missing role {id}"));
    for (ids, fam) in [
        (&["technical-product-owner", "product-owner", "product-manager"][..], "product"),
        (&["technical-program-manager", "program-manager", "project-manager", "scrum-master"][..], "delivery"),
        (&["tech-owner", "software-architect", "tech-lead", "engineering-manager"][..], "technical-leadership"),
        (&["cto", "technology-officer"][..], "executive"),
        (&["business-analyst"][..], "analysis"),
    ] {
        for id in ids {
            assert_eq!(family(id), fam, "{id}");
        }
    }
    for id in [
        "software-engineer",
        "data-scientist",
        "devops-engineer",
        "qa-engineer",
        "designer",
        "sales",
        "marketing",
        "customer-support",
        // Sinks for the big families outside the focus: a posting of one of them goes there, not to the least-bad
        // focus role.
        "legal",
        "healthcare",
        "hospitality",
        "research-scientist",
        "hardware-engineer",
        "engineer",
        "teacher",
    ] {
        let f = family(id);
        assert!(f == "individual-contributor" || f == "business", "{id} is in {f}");
    }
}

/// Postings of the sinks' families, in our own words: each goes to its sink, none to a focus role.
#[test]
fn sink_roles_take_their_postings() {
    let rules = rolecall::default_rules().unwrap();
    let mut scanner = Session::new(&rules);
    let cases = [
        ("legal", "As in-house counsel you will draft and negotiate commercial contracts, advise the business on privacy law and intellectual property, and manage outside counsel. You hold a law degree and are admitted to practice in at least one state."),
        ("healthcare", "Registered nurse for our cardiac unit: assess patients, administer medication, keep accurate charting in the electronic health record and follow infection control protocols. Current RN licensure and BLS certification required."),
        ("hospitality", "Our kitchen needs a sous chef to run the line during dinner service, prepare menu items to recipe, keep food safety and sanitation standards, and order produce. ServSafe certification preferred."),
        ("research-scientist", "Join our lab as a research scientist: design and run cell-based assays, analyse experimental data, write up protocols and contribute to peer-reviewed publications. PhD in molecular biology."),
        ("hardware-engineer", "Hardware engineer for our sensor boards: capture schematics, review PCB layout, lead board bring-up in the lab with oscilloscopes and logic analysers, and run signal integrity checks."),
    ];
    for (sink, text) in cases {
        let c = scanner.classify(rolecall::Posting::new(text));
        assert_eq!(c.role_id(), sink, "{text}");
        assert!(!rolecall::eval::is_focus(&rules, c.role_id()));
    }
}
