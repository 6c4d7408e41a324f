//! Property tests: `classify` never panics, every evidence span (proximity pairs and background clauses included)
//! slices the input to the reported text, numbers stay in range, and a scanner gives the same answer however often
//! it is reused.

use proptest::prelude::*;
use rolecall::report::Report;
use rolecall::{Posting, RuleSet, Session};
use std::sync::OnceLock;

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| rolecall::default_rules().expect("default pack"))
}

/// Text made of pieces that stress the normaliser and the matcher: pack phrases in odd case and spacing, HTML,
/// entities, negations, multi-byte and invisible characters, and arbitrary strings.
fn posting() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("product backlog".to_string()),
        Just("Sprint-Planning".to_string()),
        Just("technical\n  debt".to_string()),
        Just("not a Scrum Master role".to_string()),
        Just("<li>stakeholder&amp;management</li>".to_string()),
        Just("&#x1F600;&nbsp;&bogus;&#99999999;".to_string()),
        Just("About us\n".to_string()),
        Just("İstanbul ÜBER straße".to_string()),
        Just("\u{200B}\u{202E}\u{FEFF}\u{00AD}".to_string()),
        Just("プロダクトオーナー".to_string()),
        Just("<".to_string()),
        Just("&".to_string()),
        Just("-".to_string()),
        Just("*".to_string()),
        // Proximity anchors, inflections, background and company cues, capitals run into text.
        Just("own and order the team backlog".to_string()),
        Just("the backlog is yours to prioritise".to_string()),
        Just("4+ years as a Software Developer before moving into product".to_string()),
        Just("ABOUT US At Acme our mission is".to_string()),
        Just("prioritising risks and their mitigations; milestones".to_string()),
        Just("\u{2019}".to_string()),
        "\\PC{0,12}",
        "[ \\n\\t.,;:-]{0,4}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

/// Job titles made of role words, joiners and separators of one to four bytes, seniority and noise.
fn title() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("Sales".to_string()),
        Just("Marketing Manager".to_string()),
        Just("Product".to_string()),
        Just("Project Manager".to_string()),
        Just("Technical Product Owner".to_string()),
        Just("Senior".to_string()),
        Just(" and ".to_string()),
        Just(" & ".to_string()),
        Just("/".to_string()),
        Just("·".to_string()),
        Just(" – ".to_string()),
        Just("–".to_string()),
        Just("(m/w/d)".to_string()),
        Just("$120k".to_string()),
        Just("İ".to_string()),
        Just("😀".to_string()),
        Just(" ".to_string()),
        "\\PC{0,6}",
    ];
    prop::collection::vec(piece, 0..10).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn classify_never_panics_and_spans_are_exact(text in posting()) {
        let mut scanner = Session::new(rules());
        let c = scanner.classify(Posting::new(&text));
        prop_assert!((0.0..=1.0).contains(&c.confidence));
        prop_assert!(c.ranking.windows(2).all(|w| w[0].score >= w[1].score));
        let report = Report::new(&c, &text, "-", None);
        for e in &report.evidence {
            prop_assert!(e.start < e.end && e.end <= text.len());
            prop_assert!(text.is_char_boundary(e.start) && text.is_char_boundary(e.end));
            prop_assert_eq!(&text[e.start..e.end], e.text);
        }
        let again = scanner.classify(Posting::new(&text));
        prop_assert_eq!(c.role, again.role);
        prop_assert_eq!(c.score().to_bits(), again.score().to_bits());
    }

    #[test]
    fn titles_never_panic_and_their_parts_are_exact(title in title()) {
        let mut scanner = Session::new(rules());
        let r = scanner.title(&title);
        for p in &r.parts {
            prop_assert!(p.start < p.end && p.end <= title.len());
            prop_assert!(title.is_char_boundary(p.start) && title.is_char_boundary(p.end));
        }
        let again = scanner.title(&title);
        prop_assert_eq!((r.status, r.role, r.also), (again.status, again.role, again.also));
    }

    #[test]
    fn arbitrary_unicode_never_panics(text in "\\PC{0,400}") {
        let mut scanner = Session::new(rules());
        let c = scanner.classify(Posting::new(&text));
        for e in &c.evidence {
            prop_assert!(text.get(e.hit.start..e.hit.end).is_some());
        }
    }
}

#[test]
fn repeating_a_phrase_cannot_beat_covering_the_role() {
    let mut scanner = Session::new(rules());
    let covering =
        "Facilitate sprint planning and retrospectives, remove impediments, coach the team in agile practices \
                    and track velocity.";
    let spam = "scrum master. ".repeat(200);
    let a = scanner.classify(Posting::new(covering)).score();
    let b = scanner.classify(Posting::new(&spam)).score();
    assert!(a > b, "covering {a} vs repeating {b}");
}

/// Record-ish bytes for the batch reader: fields with quotes, delimiters, line breaks, invalid UTF-8 and JSON.
fn records() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b"1,Product Owner,\"own the product backlog\"\n".to_vec()),
        Just(b"2,,\"multi\nline \"\"quoted\"\" text\"\n".to_vec()),
        Just(b"3,CTO,".to_vec()),
        Just(b"\"".to_vec()),
        Just(b",".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\xff\xfe".to_vec()),
        Just(b"{\"id\": 9, \"description\": \"run sprint planning\"}\n".to_vec()),
        Just(b"x,y,z,w,v\n".to_vec()),
        proptest::collection::vec(any::<u8>(), 0..20),
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

fn run_batch(
    input: &[u8],
    format: rolecall::batch::InputFormat,
    threads: usize,
) -> (Vec<u8>, u64, rolecall::batch::Summary) {
    use rolecall::batch::{Batch, Columns, OutputFormat, Task};
    let mut body =
        if format == rolecall::batch::InputFormat::Csv { b"id,title,description\n".to_vec() } else { Vec::new() };
    body.extend_from_slice(input);
    let batch = Batch {
        rules: rules(),
        input: format,
        delimiter: Some(b','),
        output: OutputFormat::Csv,
        columns: Columns { text: vec!["description".into()], ..Columns::default() },
        threads,
        max_field_bytes: 1 << 20,
        task: Task::Classify,
        min_confidence: None,
        judgements: None,
    };
    let (mut out, mut errors) = (Vec::new(), 0u64);
    let summary = batch
        .run(
            &body[..],
            &mut out,
            &mut |_| {
                errors += 1;
                Ok(())
            },
            &mut |_| {},
        )
        .unwrap_or_default();
    (out, errors, summary)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// Every record is a row or an error record, and the output is the same for one thread and three.
    #[test]
    fn batch_accounts_for_every_record_identically_for_any_thread_count(input in records(), jsonl in any::<bool>()) {
        let format = if jsonl { rolecall::batch::InputFormat::Jsonl } else { rolecall::batch::InputFormat::Csv };
        let (one, errors, s) = run_batch(&input, format, 1);
        prop_assert_eq!(s.read, s.classified + s.errors);
        prop_assert_eq!(s.errors, errors);
        let rows = csv::ReaderBuilder::new().from_reader(&one[..]).records().count() as u64;
        prop_assert_eq!(rows, s.classified);
        let (three, _, s3) = run_batch(&input, format, 3);
        prop_assert_eq!(one, three);
        prop_assert_eq!(s.read, s3.read);
    }
}

proptest! {
    /// A judgements file of any bytes reads or is refused with a message, never a panic; a well-formed one keeps
    /// every verdict, each under its id.
    #[test]
    fn judgements_files_read_or_are_refused(bytes in proptest::collection::vec(any::<u8>(), 0..400),
                                            rows in proptest::collection::btree_map("[a-z0-9_-]{1,8}", 0..3usize, 0..20)) {
        if let Err(e) = rolecall::judged::Judgements::from_csv(&bytes[..]) {
            prop_assert!(!e.is_empty());
        }
        let names = ["drift", "FITS", "unclear"];
        let mut csv = String::from("verdict,id\n");
        for (id, v) in &rows {
            csv += &format!("{},{id}\n", names[*v]);
        }
        let j = rolecall::judged::Judgements::from_csv(csv.as_bytes()).expect("well-formed");
        prop_assert_eq!(j.len(), rows.len());
        for (id, v) in &rows {
            let want = [rolecall::judged::Verdict::Drift, rolecall::judged::Verdict::Fits, rolecall::judged::Verdict::Unclear][*v];
            prop_assert_eq!(j.get(id), Some(want));
        }
    }
}
