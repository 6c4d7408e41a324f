//! Hostile input, end to end: each case gets a result or a clear per-record error, never a panic or a lost record.
//! Sizes here keep the debug-build test suite quick; `benches/hostile.sh` runs the full-size cases (a 50 MB field,
//! a million lines) on the release binary and prints time and peak memory.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn rolecall(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rolecall"));
    cmd.args(args).env("NO_COLOR", "1");
    cmd.stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() });
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    if let Some(data) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        let data = data.to_vec();
        std::thread::spawn(move || {
            let _ = pipe.write_all(&data);
        });
    }
    child.wait_with_output().unwrap()
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rolecall-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Classifies `bytes` as one posting (JSON), checks the exit code is a verdict or "nothing matched", and that every
/// evidence span slices the (lossily decoded) input to the reported text.
fn classify_ok(bytes: &[u8]) -> serde_json::Value {
    let out = rolecall(&["classify", "--format", "json", "-"], Some(bytes));
    assert!(matches!(out.status.code(), Some(0 | 1)), "exit {:?}: {}", out.status.code(), stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON report");
    let text = String::from_utf8_lossy(bytes);
    for e in v["evidence"].as_array().unwrap() {
        let (s, t) = (e["start"].as_u64().unwrap() as usize, e["end"].as_u64().unwrap() as usize);
        assert_eq!(text.get(s..t), e["text"].as_str(), "span {s}..{t}");
    }
    v
}

const PO: &str =
    "You will own the product backlog, write user stories with acceptance criteria and run backlog refinement. ";

#[test]
fn nul_bytes_zero_width_rtl_emoji_and_html_still_classify() {
    let cases: Vec<Vec<u8>> = vec![
        format!("{PO}\0\0\0 more\0text").into_bytes(),
        PO.replace(' ', " \u{200B}\u{200D}").into_bytes(),
        format!(
            "\u{202E}{PO}\u{202C} \u{05D0}\u{05D1}\u{05D2} \u{0627}\u{0644}\u{0639}\u{0631}\u{0628}\u{064A}\u{0629}"
        )
        .into_bytes(),
        format!("🚀🚀 {PO} 👩‍💻🏳️‍🌈 {}", "😀".repeat(1000)).into_bytes(),
        format!("<html><script>alert('{PO}')</script><div onclick=\"x\">{PO}</div><style>p{{}}</style></html>")
            .into_bytes(),
    ];
    for bytes in cases {
        let v = classify_ok(&bytes);
        assert_eq!(
            v["role"],
            "product-owner",
            "{}",
            String::from_utf8_lossy(&bytes).chars().take(80).collect::<String>()
        );
    }
}

#[test]
fn invalid_utf8_is_decoded_with_a_warning_or_is_a_record_error() {
    let mut bytes = PO.as_bytes().to_vec();
    bytes.extend_from_slice(b"\xff\xfe\xc3\x28 tail \xe2\x82");
    let out = rolecall(&["classify", "-"], Some(&bytes));
    assert_eq!(out.status.code(), Some(0));
    assert!(stderr(&out).contains("not valid UTF-8"), "{}", stderr(&out));
    let mut csv = b"id,description\n1,\"".to_vec();
    csv.extend_from_slice(&bytes);
    csv.extend_from_slice(format!("\"\n2,\"{PO}\"\n").as_bytes());
    let out = rolecall(&["batch", "-", "--quiet"], Some(&csv));
    assert_eq!(out.status.code(), Some(1), "one error record: exit 1");
    assert!(stderr(&out).contains("record 1 (line 2") && stderr(&out).contains("not valid UTF-8"), "{}", stderr(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 2, "header + the good record");
}

#[test]
fn a_million_short_lines_classify() {
    let mut text = String::from(PO);
    for i in 0..1_000_000 {
        text.push_str(if i % 2 == 0 { "- ok\n" } else { "\n" });
    }
    let v = classify_ok(text.as_bytes());
    assert_eq!(v["role"], "product-owner");
}

#[test]
fn an_oversized_field_is_a_record_error_and_the_run_goes_on() {
    // 12 MB in one field, over a 1 MB limit: one clear error record, the neighbours are classified.
    let path = temp("big-field.csv");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        writeln!(f, "id,description").unwrap();
        writeln!(f, "1,\"{PO}\"").unwrap();
        write!(f, "2,\"").unwrap();
        let chunk = "backlog ".repeat(1 << 14);
        for _ in 0..(12 << 20) / chunk.len() {
            f.write_all(chunk.as_bytes()).unwrap();
        }
        writeln!(f, "\"").unwrap();
        writeln!(f, "3,\"{PO}\"").unwrap();
    }
    let errors = temp("big-field-errors.csv");
    let out = rolecall(
        &["batch", path.to_str().unwrap(), "--max-field-bytes", "1000000", "--errors", errors.to_str().unwrap(), "-q"],
        None,
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let rows = String::from_utf8_lossy(&out.stdout).lines().count();
    let errs = std::fs::read_to_string(&errors).unwrap();
    assert_eq!(rows, 3, "header + records 1 and 3");
    assert!(errs.lines().nth(1).unwrap().starts_with("2,3,") && errs.contains("over the limit of 1000000"), "{errs}");
}

#[test]
fn an_unterminated_quote_at_the_end_is_accounted_for() {
    let csv = format!("id,description\n1,\"{PO}\"\n2,\"{PO} and then the file ends inside the quote");
    let out = rolecall(&["batch", "-"], Some(csv.as_bytes()));
    let err = stderr(&out);
    let rows = String::from_utf8_lossy(&out.stdout).lines().count() - 1;
    let errors = err.lines().filter(|l| l.starts_with("rolecall: record ")).count();
    // Whatever the CSV reader makes of the open quote, both records come out: as rows or as error records.
    assert_eq!(rows + errors, 2, "rows {rows}, errors {errors}: {err}");
    assert!(err.contains("read 2,"), "{err}");
}

#[test]
fn jsonl_lines_beyond_the_limit_are_record_errors() {
    let long = format!("{{\"id\": 1, \"text\": \"{}\"}}\n", "x ".repeat(600_000));
    let input = format!("{long}{{\"id\": 2, \"text\": \"{PO}\"}}\n");
    let out = rolecall(
        &["batch", "-", "--input-format", "jsonl", "--max-field-bytes", "100000", "-q"],
        Some(input.as_bytes()),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("record 1 (line 1"), "{}", stderr(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 2);
}

#[test]
fn hostile_rule_packs_fail_with_diagnostics() {
    let dir = temp("packs");
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, text: &str| -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let head = "id = \"x-role\"\nname = \"X\"\nfamily = \"f\"\nsummary = \"s\"\n";
    let cases: Vec<(PathBuf, &str)> = vec![
        (write("deep.toml", &format!("{head}areas = {}{}\n", "[".repeat(50_000), "]".repeat(50_000))), "R001"),
        (write("deep-table.toml", &format!("{head}x = {}1{}\n", "{a=".repeat(20_000), "}".repeat(20_000))), "R001"),
        (
            write(
                "explode.toml",
                &format!("{head}[[areas]]\nid = \"a\"\nname = \"A\"\nweight = 1.0\npatterns = ['own[a-z]{{1,1000}}{{1,1000}}']\n"),
            ),
            "R003",
        ),
        (
            write(
                "long-phrase.toml",
                &format!("{head}[[areas]]\nid = \"a\"\nname = \"A\"\nweight = 1.0\nphrases = [\"{}\"]\n", "word ".repeat(500)),
            ),
            "R017",
        ),
    ];
    for (path, code) in cases {
        let out = rolecall(&["rules", "lint", path.to_str().unwrap()], None);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{path:?}: {stdout}");
        assert!(
            stdout.contains(&format!("error[{code}]")),
            "{path:?} should give {code}:\n{}",
            &stdout[..stdout.len().min(2000)]
        );
        // Long offending lines are cut to a window, not printed whole.
        assert!(stdout.lines().all(|l| l.chars().count() < 400), "{path:?}: a line of the report is too long");
    }
    let _ = Path::new(&dir);
}

#[test]
fn a_giant_posting_keeps_a_bounded_number_of_hits() {
    let text = PO.repeat(40_000); // about 4 MB, a few hundred thousand phrase occurrences
    let rules = rolecall::default_rules().unwrap();
    let mut scanner = rolecall::Session::new(&rules);
    let hits = scanner.scan(&text).len();
    assert!(hits <= rolecall::scan::MAX_HITS, "{hits} hits");
    let c = scanner.classify(rolecall::Posting::new(&text));
    assert_eq!(c.role_id(), "product-owner");
}
