//! Fuzz classification, title reading and drift with the default pack: any bytes (decoded lossily, as the CLI
//! does) give a verdict whose evidence spans slice the input to the reported text.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn rules() -> &'static rolecall::RuleSet {
    static RULES: OnceLock<rolecall::RuleSet> = OnceLock::new();
    RULES.get_or_init(|| rolecall::default_rules().expect("default pack"))
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut scanner = rolecall::Session::new(rules());
    let c = scanner.classify(rolecall::Posting::new(&text));
    for e in &c.evidence {
        assert!(e.hit.start < e.hit.end && e.hit.end <= text.len());
        assert!(text.is_char_boundary(e.hit.start) && text.is_char_boundary(e.hit.end));
    }
    assert!((0.0..=1.0).contains(&c.confidence));
    let report = rolecall::report::Report::new(&c, &text, "fuzz", None);
    let _ = serde_json::to_string(&report).unwrap();
    let title: String = text.chars().take(120).collect();
    let t = scanner.title(&title);
    for p in &t.parts {
        assert!(title.get(p.start..p.end).is_some());
    }
    let d = scanner.drift(&title, &text);
    let _ = rolecall::drift::DriftReport::new(&d, &title, &text);
});
