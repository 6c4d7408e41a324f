//! Fuzz the rule loader and compiler (and lint, which runs a pack's examples): any text as a role file beside a
//! small language file must give a rule set or diagnostics, never a panic or a hang.
#![no_main]
use libfuzzer_sys::fuzz_target;
use rolecall::Source;

const LANG: &str = "[language]\nid = \"en\"\nnegation_before = [\"no\", \"not\"]\ncontent_headings = [\"responsibilities\"]\nbackground_before = [\"years as a\"]\ncompany_phrases = [\"our mission\"]\njob_phrases = [\"you\"]\n[language.inflection]\nendings = [\"s\", \"ed\", \"ing\", \"ation\"]\nspellings = [[\"ise\", \"ize\"]]\n[language.titles]\njoiners = [\"and\"]\n[language.titles.seniority]\nsenior = [\"senior\"]\n";

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let sources = vec![
        Source { name: "fuzz/role.toml".into(), text },
        Source { name: "fuzz/lang.toml".into(), text: LANG.into() },
    ];
    let report = rolecall::lint::lint(&sources);
    for d in &report.diagnostics {
        // Every diagnostic renders, and its place is inside its file.
        let _ = d.to_string();
        if let Some(s) = d.span {
            assert!(s.start <= s.end);
        }
    }
    if let Some(rules) = report.rules {
        assert!(!rules.roles().is_empty());
    }
});
