//! Title drift on postings built from our own fixtures: every rule example with an expected role, and the fixture
//! postings, posted once under their own role's title and once under a title of another family's role.
//! Targets: a swapped posting is never said to fit its title (`none`) unless the two roles overlap (at most 2%:
//! the stated role scores half the body's), and at least 90% are flagged (`far`, or
//! `near` where the body reads as a role of the title's own family; the rest are `unknown` because the body is too
//! thin or too split to testify: issue 10 made drift conservative so that a flag is worth reading); at most 5% of the
//! correctly titled ones flagged as drift.

use rolecall::drift::{Drift, DriftReading, Why};
use rolecall::Session;

/// (body, true role) pairs from the pack's examples and the fixture postings.
fn postings(rules: &rolecall::RuleSet) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = rules
        .examples()
        .iter()
        .filter_map(|e| e.expect.as_ref().filter(|r| *r != "other").map(|r| (e.text.clone(), r.clone())))
        .collect();
    for (file, role) in [
        ("technical-product-owner", "technical-product-owner"),
        ("technical-program-manager", "technical-program-manager"),
        ("scrum-master", "scrum-master"),
        ("cto", "cto"),
        ("backend-engineer", "software-engineer"),
    ] {
        let path = format!("{}/fixtures/postings/{file}.txt", env!("CARGO_MANIFEST_DIR"));
        out.push((std::fs::read_to_string(path).unwrap(), role.to_string()));
    }
    out
}

/// The reason a reading gives belongs to its class: a `none` reason for `none`, `drifted` for near and far.
fn why_fits_class(d: &DriftReading<'_>) -> bool {
    match d.why.class() {
        "none" => d.drift == Drift::None,
        "unknown" => d.drift == Drift::Unknown,
        _ => d.drift.drifted(),
    }
}

/// A title for `role`: its first title example (our own wording, with seniority and noise).
fn title_of<'r>(rules: &'r rolecall::RuleSet, role: &str) -> &'r str {
    &rules.title_examples().iter().find(|t| t.role == role).expect("every role has title examples").title
}

#[test]
fn swapped_titles_are_far_and_true_titles_do_not_drift() {
    let rules = rolecall::default_rules().unwrap();
    let mut scanner = Session::new(&rules);
    let roles = rules.roles();
    let family = |id: &str| rules.role(id).unwrap().1.family.clone();
    let (mut swapped, mut far, mut true_n, mut drifted, mut wrong, mut overlap) = (0, 0, 0, 0, 0, 0);
    let (mut covered, mut umbrellas, mut ladder) = (0, 0, 0);
    let mut misses = Vec::new();
    for (i, (body, role)) in postings(&rules).iter().enumerate() {
        // The posting under its own title.
        let d = scanner.drift(title_of(&rules, role), body);
        assert!(why_fits_class(&d), "{role}: {:?} for {:?}", d.why, d.drift);
        true_n += 1;
        if d.drift.drifted() {
            drifted += 1;
            misses.push(format!("true title {role}: {:?} (body {})", d.drift, d.body.role_id()));
        }
        // The same body under a title of a role of another family, chosen in turn.
        let others: Vec<&str> = roles.iter().filter(|r| r.family != family(role)).map(|r| r.id.as_str()).collect();
        let other = others[i % others.len()];
        let d = scanner.drift(title_of(&rules, other), body);
        assert!(why_fits_class(&d), "{role} posted as {other}: {:?} for {:?}", d.why, d.drift);
        swapped += 1;
        match d.drift {
            Drift::Far => far += 1,
            Drift::Near => {
                // Only when the body reads as a role of the stated role's own family.
                let stated_family = &roles[rules.role(other).unwrap().0 as usize].family;
                assert_eq!(d.body.family(), stated_family, "{role} posted as {other}: near to another family");
                far += 1;
            }
            // An umbrella title ("Operations Manager") names no trade: another family's body under it is unknown by
            // design, not a swap to find.
            Drift::Unknown if d.stated_role().is_some_and(|r| roles[r as usize].title_umbrella) => umbrellas += 1,
            Drift::Unknown => {
                // Unknown only when the body does not testify clearly.
                let thin = d.body.status != rolecall::Status::Match
                    || d.body.score() < rolecall::drift::DRIFT_MIN_SCORE
                    || d.body.ranking.first().is_some_and(|s| s.undistinguished);
                assert!(thin, "{role} posted as {other}: unknown although the body testifies clearly");
                misses.push(format!("{role} posted as {other}: unknown (body {}, thin)", d.body.role_id()));
            }
            // A title that names the body's domain ("... Manager, Data Platform" over a data engineer's body) fits
            // it by design: not a miss.
            Drift::None if d.title.domains.contains(&d.body.role.unwrap_or(u16::MAX)) => {}
            // A title in common use for the body's work (`[titles] covers`: an architect's title over an engineer's
            // body) fits it by design: no drift to find, so not counted among the swaps.
            Drift::None
                if d.stated_role()
                    .is_some_and(|r| roles[r as usize].title_covers.contains(&d.body.role.unwrap_or(u16::MAX))) =>
            {
                covered += 1;
            }
            // One trade at two rungs (one role builds on the other across families: an engineer under a tech lead's
            // title, a business analyst under an ERP consultant's) where the stated rung reaches LADDER_RATIO of the
            // body's score: the title fits by design.
            Drift::None
                if d.body.role.zip(d.stated_role()).is_some_and(|(b, s)| {
                    let (rb, rs) = (&roles[b as usize], &roles[s as usize]);
                    rb.family != rs.family && (rb.builds_on.contains(&s) || rs.builds_on.contains(&b))
                }) && d.stated_score >= rolecall::drift::LADDER_RATIO * d.body.score() =>
            {
                ladder += 1;
            }
            // The two roles overlap (the stated one scores at least half the body's, or its own distinguishing work
            // is present): "fits in good part" is the documented answer, but it must stay rare among swapped titles.
            Drift::None if d.stated_score >= rolecall::drift::DRIFT_RATIO * d.body.score() || d.stated_present => {
                overlap += 1;
                misses.push(format!("{role} posted as {other}: none, the roles overlap (body {})", d.body.role_id()));
            }
            Drift::None => {
                wrong += 1;
                misses.push(format!("{role} posted as {other}: {:?} (body {})", d.drift, d.body.role_id()));
            }
        }
    }
    assert!(covered * 33 <= swapped, "{covered} of {swapped} swapped titles cover their bodies' work: at most 3%");
    assert!(ladder * 33 <= swapped, "{ladder} of {swapped} swapped titles are one trade's other rung: at most 3%");
    let umbrella_roles = roles.iter().filter(|r| r.title_umbrella).count();
    assert!(
        umbrellas * roles.len() <= swapped * (umbrella_roles + 1),
        "{umbrellas} of {swapped} swapped titles are umbrellas: no more than the umbrella roles' share"
    );
    let swapped = swapped - covered - umbrellas - ladder;
    let far_rate = far as f64 / swapped as f64;
    let false_rate = drifted as f64 / true_n as f64;
    eprintln!("swapped flagged far: {far}/{swapped}; true titles flagged as drift: {drifted}/{true_n}");
    assert!(swapped >= 100, "only {swapped} postings");
    assert!(
        wrong == 0 && overlap * 50 <= swapped && far_rate >= 0.90 && false_rate <= 0.05,
        "swapped said to fit: {wrong} (and {overlap} of overlapping roles, at most 2%); swapped flagged: {far}/{swapped} ({:.1}%, need 90%); true titles flagged as drift: {drifted}/{true_n} ({:.1}%, at most 5%)\n{}",
        far_rate * 100.0,
        false_rate * 100.0,
        misses.join("\n")
    );
}

#[test]
fn name_mentions_are_shown_but_do_not_decide_drift() {
    let rules = rolecall::default_rules().unwrap();
    let mut scanner = Session::new(&rules);
    // A body that calls itself a Product Owner but describes sales work.
    let body = "As our Product Owner you will own a sales quota, prospect new business by cold calling, \
                manage key accounts and close deals with new customers in your territory.";
    let d = scanner.drift("Product Owner", body);
    assert_eq!(d.body.role_id(), "sales");
    assert_eq!(d.drift, Drift::Far);
    let names: Vec<&str> = d.name_mentions().into_iter().map(|(_, s, e)| &body[s..e]).collect();
    assert_eq!(names, ["Product Owner"]);
    // The full classifier (names counted) is unchanged by the title, which is never scored.
    let full = scanner.classify(rolecall::Posting { text: body, title: Some("Chief Technology Officer") });
    let plain = scanner.classify(rolecall::Posting::new(body));
    assert_eq!(full.role_id(), plain.role_id());
    assert_eq!(full.score(), plain.score());
}

/// What makes a flag worth reading: sibling neighbour roles, a title that names the body's domain, a title in
/// common use for the body's work and a thin body are not flagged; a superset role (a technical product owner's body under a product owner's title) is a near drift.
#[test]
fn a_drift_is_flagged_only_when_the_body_clearly_describes_another_job() {
    let rules = rolecall::default_rules().unwrap();
    let mut scanner = Session::new(&rules);
    let data_engineering = "You will build and run batch and streaming data pipelines in Spark and Airflow, model the \
        warehouse in dbt, keep data quality checks green, tune Kafka consumers and own the ETL jobs that feed our \
        Snowflake warehouse; on-call for the data platform one week in six.";
    // A software engineer's title over a data engineer's body: both engineering, the title fits.
    let d = scanner.drift("Software Engineer, Data", data_engineering);
    assert_eq!(d.drift, Drift::None, "{} {}", d.body.role_id(), d.body.score());
    // A title that names the body's domain ("Machine Learning") does not drift from a body full of it.
    let ml = "Train and evaluate machine learning models for ranking, run A/B tests on model changes, build \
        feature pipelines, study model drift and causal inference, and ship deep learning models to production.";
    let d = scanner.drift("Engineering Manager, Machine Learning", ml);
    assert_eq!(d.body.role_id(), "data-scientist");
    assert_eq!(d.drift, Drift::None);
    // A field word in the title names the domain too: "Data Architect" over a data engineer's body fits.
    let d = scanner.drift("Data Architect", data_engineering);
    assert_eq!((d.body.role_id(), d.drift), ("data-engineer", Drift::None));
    let d = scanner.drift("Security Program Manager", SECURITY_OPERATIONS);
    assert_eq!((d.body.role_id(), d.drift), ("security-engineer", Drift::None));
    let d = scanner.drift("Security Project Manager", SECURITY_OPERATIONS);
    assert_eq!((d.body.role_id(), d.drift, d.why), ("security-engineer", Drift::None, Why::TitleDomain));
    let d = scanner.drift("Project Manager", SECURITY_OPERATIONS);
    assert_eq!((d.drift, d.why), (Drift::Far, Why::Drifted), "without the field word the same body drifts");
    // A field whose trade's title covers the body's work fits too: an ERP consultant's title covers finance, so an
    // "ERP Business Analyst" whose body is the finance process the package runs fits; a plain one drifts.
    let close = "You run the month-end close for our European entities: post accruals and journal entries to the \
        general ledger, reconcile the balance sheet accounts, prepare the cash flow forecast with treasury, and \
        explain budget-to-actual variances to the finance director. You also look after cost accounting for the \
        plants and support the external auditors at year end.";
    let d = scanner.drift("ERP Business Analyst", close);
    assert_eq!((d.body.role_id(), d.drift, d.why), ("finance", Drift::None, Why::TitleDomain));
    let d = scanner.drift("Business Analyst", close);
    assert_eq!((d.body.role_id(), d.drift, d.why), ("finance", Drift::Far, Why::Drifted));
    // "Engineering Manager" heads the engineering department of plants and construction too: a process plant's
    // engineering body under it fits (`covers`); under a product manager's title it drifts far.
    let plant = "You lead the engineering of the refinery's revamp projects: review process and piping design \
        calculations, check P&IDs, isometric drawings and equipment datasheets against ASME and API codes and \
        standards, sign off the project specifications, and take the units through pre-commissioning, \
        commissioning and start-up with the HSE team.";
    let d = scanner.drift("Engineering Manager", plant);
    assert_eq!((d.body.role_id(), d.drift, d.why), ("engineer", Drift::None, Why::Covers));
    let d = scanner.drift("Product Manager", plant);
    assert_eq!((d.body.role_id(), d.drift, d.why), ("engineer", Drift::Far, Why::Drifted));
    // A construction site's project engineer runs much of the project: an engineer's title fits a project
    // manager's body (`covers`); a designer's does not.
    let site = "You keep the project schedule and the project budget for a mid-rise build, chase submittals and \
        RFIs with the general contractor and subcontractors, track change orders, chair the weekly site progress \
        meeting, report project status to the client, and walk the punch list through to project closeout.";
    let d = scanner.drift("Project Engineer", site);
    assert_eq!((d.body.role_id(), d.drift, d.why), ("project-manager", Drift::None, Why::Covers));
    let d = scanner.drift("Graphic Designer", site);
    assert_eq!((d.body.role_id(), d.drift, d.why), ("project-manager", Drift::Far, Why::Drifted));
    // An umbrella title names a function of every trade, not a trade: a security team's programme or operations
    // manager is not a far drift, nor a fit.
    for umbrella in ["Program Manager", "Operations Manager"] {
        let d = scanner.drift(umbrella, SECURITY_OPERATIONS);
        assert_eq!(
            (d.body.role_id(), d.drift, d.why),
            ("security-engineer", Drift::Unknown, Why::Umbrella),
            "{umbrella}"
        );
    }
    // A title that also names the body's role, apart from its own ("... - CSM, Scrum Master, Coaching"), names that
    // job too: no drift, even within one family; without it the same body is a near drift.
    let scrum = "You facilitate sprint planning, daily stand-ups, sprint reviews and retrospectives for two Scrum \
        teams, remove impediments, coach the teams and their product owner in Scrum and agile practices, and help \
        the organisation through its agile transformation.";
    let d = scanner.drift("Project Manager - CSM, Scrum Master, Agile Coaching", scrum);
    assert_eq!((d.body.role_id(), d.drift, d.why), ("scrum-master", Drift::None, Why::AlsoNamed));
    let d = scanner.drift("Project Manager - CSM, Agile Coaching", scrum);
    assert_eq!((d.body.role_id(), d.drift), ("scrum-master", Drift::Near));
    // Not within one family: "Product Owner" names the product field, yet a product manager's body under it is the
    // near drift this is for.
    let pm = "You talk to customers every week, run discovery interviews and usability tests, and study the market \
        and the competitive landscape for the next product bet. You set pricing and positioning with marketing, own \
        the product vision and strategy, and turn them into a roadmap of outcomes. You plan go-to-market launches, \
        track product-market fit, and report adoption, retention and revenue to the leadership team each quarter.";
    let d = scanner.drift("Product Owner", pm);
    assert!(d.title.domains.contains(&rules.role("product-manager").unwrap().0));
    assert_eq!((d.body.role_id(), d.drift), ("product-manager", Drift::Near));
    // The same body under a title of another family that does not name its domain: far.
    let d = scanner.drift("Recruitment Consultant", ml);
    assert_eq!(d.drift, Drift::Far);
    // Too thin to testify: unknown, not a flag.
    let d = scanner.drift("Recruitment Consultant", "Bring your laptop. We meet on Mondays.");
    assert_eq!(d.drift, Drift::Unknown);
    // A superset role's body under the base role's title: a near drift, although the base role scores well on it.
    let tpo = std::fs::read_to_string(format!(
        "{}/fixtures/postings/technical-product-owner.txt",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let d = scanner.drift("Product Owner", &tpo);
    assert_eq!((d.body.role_id(), d.drift), ("technical-product-owner", Drift::Near), "stated {}", d.stated_score);
    assert!(d.stated_score >= rolecall::drift::DRIFT_RATIO * d.body.score(), "the base role fits in part");
    // The other way round: a refining role's title over a body with only the base role's work is near drift too.
    let po = "You are accountable for the product backlog of the claims team: you write user stories with clear \
        acceptance criteria, order the backlog by business value, run sprint planning and the sprint review with \
        the Scrum team, accept or reject finished work, and keep the product goal in front of the stakeholders from \
        our branches and call centre, whose feedback you gather every month.";
    let d = scanner.drift("Technical Product Owner", po);
    assert_eq!((d.body.role_id(), d.drift), ("product-owner", Drift::Near), "stated {}", d.stated_score);
    // Tech owner and tech lead: the owner's body (technology selection, the system's lifecycle and standards,
    // guidance to several teams, no line management) under a tech lead's title.
    let owner = "As owner of the payments platform's technology you decide which technologies and architecture \
        options we adopt, keep the technical roadmap and the platform's lifecycle, own its technical debt and \
        standards, and guide the four development teams that build on it through hard technical challenges. The \
        platform's health and end-to-end technical ownership are yours; line management of the developers stays \
        with their engineering managers.";
    let d = scanner.drift("Tech Lead", owner);
    assert_eq!((d.body.role_id(), d.drift), ("tech-owner", Drift::Near), "stated {}", d.stated_score);
    // A title in common use for the body's work (`[titles] covers`) fits it: "Solutions Architect" over a hands-on
    // engineer's body, "Business Analyst" over reporting and BI. The same bodies under other titles drift.
    let coding = "You will write production code in Go and TypeScript every day, design and build REST APIs and \
        microservices, review pull requests, write unit and integration tests, fix bugs in the services you own and \
        ship features through our CI/CD pipeline several times a day.";
    let d = scanner.drift("Solutions Architect", coding);
    assert_eq!(
        (d.body.role_id(), d.drift, d.why),
        ("software-engineer", Drift::None, Why::Covers),
        "stated {}",
        d.stated_score
    );
    assert_eq!(scanner.drift("Project Manager", coding).drift, Drift::Far);
    let reporting = "You will pull data from our sales and logistics systems with SQL, build Power BI dashboards and \
        weekly KPI reports for the regional directors, run ad hoc analysis when a number moves, and turn what you \
        find into actionable insights and recommendations. You keep the data sets clean and document every metric.";
    let d = scanner.drift("Business Analyst", reporting);
    assert_eq!((d.body.role_id(), d.drift), ("data-analyst", Drift::None), "stated {}", d.stated_score);
    assert_eq!(scanner.drift("Recruitment Consultant", reporting).drift, Drift::Far);
    // An umbrella title covers its specialisation, not the other way round: "Program Manager" over a technical
    // programme manager's body fits; "Technical Program Manager" over a project manager's body is near drift.
    let tpm = std::fs::read_to_string(format!(
        "{}/fixtures/postings/technical-program-manager.txt",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let d = scanner.drift("Senior Program Manager", &tpm);
    assert_eq!((d.body.role_id(), d.drift), ("technical-program-manager", Drift::None), "stated {}", d.stated_score);
    let project = "You run the fit-out of our new regional office from the signed brief to the handover: you own the \
        project plan, the budget and the schedule, hold the weekly progress meetings with the contractors and the \
        facilities team, keep the risk and issue log, manage change requests against the agreed scope, and report \
        progress, cost and milestones to the steering committee every month until the project closes.";
    let d = scanner.drift("Program Manager", project);
    assert_eq!((d.body.role_id(), d.drift), ("project-manager", Drift::None), "stated {}", d.stated_score);
    let d = scanner.drift("Technical Program Manager", project);
    assert_eq!((d.body.role_id(), d.drift), ("project-manager", Drift::Near), "stated {}", d.stated_score);
    // One trade at two rungs (a role that builds on the other, of another family): once the title's rung shows in
    // the body, the title fits; a body with none of it still drifts.
    let hands_on = "You write production code in Go and TypeScript most days, build and maintain REST APIs and \
        microservices, write unit and integration tests, fix bugs in the services you own and ship features through \
        our CI/CD pipeline.";
    let d = scanner.drift("Tech Lead", hands_on);
    assert_eq!((d.body.role_id(), d.drift), ("software-engineer", Drift::Far), "stated {}", d.stated_score);
    let leading = format!(
        "{hands_on} You also review pull requests from the two junior developers, mentor them and help them with \
        technical decisions."
    );
    let d = scanner.drift("Tech Lead", &leading);
    assert_eq!((d.body.role_id(), d.drift), ("software-engineer", Drift::None), "stated {}", d.stated_score);
    assert!(d.stated_score >= rolecall::drift::LADDER_RATIO * d.body.score());
    assert!(d.stated_score < rolecall::drift::DRIFT_RATIO * d.body.score(), "another family's title would drift");
    // An ERP consultant's title covers finance work: a finance module's functional consultant spends the job on it.
    let close = "You run the month-end close for our three entities, post accruals and journal entries to the general \
        ledger, reconcile the balance sheet accounts, look after accounts payable and receivable, prepare the VAT \
        returns and support the external auditors at year end.";
    let d = scanner.drift("SAP FI Consultant", close);
    assert_eq!((d.body.role_id(), d.drift), ("finance", Drift::None), "stated {}", d.stated_score);
    assert!(scanner.drift("Account Executive", close).drift.drifted(), "a sales title over it drifts");
    // A title two roles list states neither, so its body is not judged: a technical account manager is both the
    // account's commercial owner and its technical adviser after the sale.
    let d = scanner.drift("Technical Account Manager", &tpm);
    assert_eq!((d.title.role, d.drift), (None, Drift::Unknown));
    assert_eq!(scanner.drift("Account Manager", &tpm).drift, Drift::Far, "the sales title alone drifts");
}

/// A security analyst's work, in our own words.
const SECURITY_OPERATIONS: &str = "You will triage alerts in our SIEM, lead incident response for the security \
    incidents you find, hunt for threats across endpoints and cloud logs, run vulnerability scanning every week and \
    follow each finding to its fix, write detection rules mapped to MITRE ATT&CK, and take part in penetration \
    testing of new services before launch.";
