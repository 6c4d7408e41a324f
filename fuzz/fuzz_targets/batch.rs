//! Fuzz the batch reader: any bytes as a CSV (after a fixed header) or as JSON Lines. Every record must come out
//! as exactly one row or one error record, and the run must not fail on record-level problems.
#![no_main]
use libfuzzer_sys::fuzz_target;
use rolecall::batch::{Batch, Columns, InputFormat, OutputFormat, Task};
use std::sync::OnceLock;

fn rules() -> &'static rolecall::RuleSet {
    static RULES: OnceLock<rolecall::RuleSet> = OnceLock::new();
    RULES.get_or_init(|| rolecall::default_rules().expect("default pack"))
}

fuzz_target!(|data: &[u8]| {
    let (format, body) = match data.split_first() {
        Some((b, rest)) if b % 2 == 0 => (InputFormat::Csv, rest),
        Some((_, rest)) => (InputFormat::Jsonl, rest),
        None => return,
    };
    let mut input = Vec::new();
    if format == InputFormat::Csv {
        input.extend_from_slice(b"id,title,description\n");
    }
    input.extend_from_slice(body);
    for task in [Task::Classify, Task::Drift] {
        let batch = Batch {
            rules: rules(),
            input: format,
            delimiter: Some(b','),
            output: OutputFormat::Csv,
            columns: Columns { text: vec!["description".into()], title: Some("title".into()), ..Columns::default() },
            threads: 2,
            max_field_bytes: 4096,
            task,
            min_confidence: None,
            judgements: None,
        };
        let mut out = Vec::new();
        let mut errors = 0u64;
        let result = batch.run(
            &input[..],
            &mut out,
            &mut |_| {
                errors += 1;
                Ok(())
            },
            &mut |_| {},
        );
        match result {
            Ok(summary) => {
                assert_eq!(summary.read, summary.classified + summary.errors);
                assert_eq!(summary.errors, errors);
                let rows = csv::ReaderBuilder::new().from_reader(&out[..]).records().count() as u64;
                assert_eq!(rows, summary.classified, "one row per classified record");
            }
            // Only a run that cannot start may fail: JSON Lines whose first object lacks the columns.
            Err(rolecall::batch::BatchError::Start(_)) => assert_eq!(format, InputFormat::Jsonl),
            Err(e) => panic!("{e}"),
        }
    }
});
