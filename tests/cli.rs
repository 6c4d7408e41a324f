//! End-to-end tests of the `rolecall` binary: golden outputs in `fixtures/golden/`, exit codes, input errors,
//! colour, rule packs from folders. Regenerate the golden files with `UPDATE_GOLDEN=1 cargo test --test cli`
//! and review the diff.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rolecall(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rolecall"));
    cmd.args(args).current_dir(root()).env_remove("NO_COLOR");
    cmd.stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() });
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn rolecall");
    if let Some(data) = stdin {
        // A run that stops before reading its input (a usage error) closes the pipe: not the test's failure.
        if let Err(e) = child.stdin.take().unwrap().write_all(data) {
            assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "writing rolecall's stdin: {e}");
        }
    }
    child.wait_with_output().unwrap()
}

fn golden(name: &str, actual: &str) {
    let path = root().join("fixtures/golden").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("missing golden file {}", path.display()));
    if want != actual {
        let first = want.lines().zip(actual.lines()).position(|(a, b)| a != b).unwrap_or(0);
        panic!(
            "{name} differs from its golden file at line {}:\n  want: {:?}\n  got:  {:?}\n(UPDATE_GOLDEN=1 rewrites it)\n--- got ---\n{actual}",
            first + 1,
            want.lines().nth(first),
            actual.lines().nth(first)
        );
    }
}

fn text(o: &[u8]) -> String {
    String::from_utf8(o.to_vec()).expect("utf-8 output")
}

/// One CLI case: golden file, arguments, stdin, expected exit code, which stream is golden.
type Case<'a> = (&'a str, &'a [&'a str], Option<&'a [u8]>, i32, &'a str);

/// CLI cases as data.
#[test]
fn golden_outputs() {
    let scrum = std::fs::read(root().join("fixtures/postings/scrum-master.txt")).unwrap();
    let cases: &[Case] = &[
        (
            "classify-tpo.txt",
            &[
                "classify",
                "fixtures/postings/technical-product-owner.txt",
                "--title",
                "Product Owner",
                "--color",
                "never",
            ],
            None,
            0,
            "stdout",
        ),
        (
            "classify-tpm.jsonl",
            &["classify", "--format", "json", "fixtures/postings/technical-program-manager.txt"],
            None,
            0,
            "stdout",
        ),
        (
            "classify-many.csv",
            &[
                "classify",
                "--format",
                "csv",
                "fixtures/postings/backend-engineer.txt",
                "fixtures/postings/cto.txt",
                "fixtures/postings/nothing.txt",
                "fixtures/postings/sales-with-noise.txt",
                "fixtures/postings/scrum-master.txt",
                "fixtures/postings/technical-product-owner.txt",
                "fixtures/postings/technical-program-manager.txt",
            ],
            None,
            0,
            "stdout",
        ),
        ("classify-stdin.txt", &["classify", "--color", "never"], Some(&scrum), 0, "stdout"),
        ("classify-nothing.txt", &["classify", "--color", "never", "fixtures/postings/nothing.txt"], None, 1, "stdout"),
        (
            "bad-rules.stderr",
            &["--rules", "fixtures/bad-rules", "classify", "fixtures/postings/cto.txt"],
            None,
            2,
            "stderr",
        ),
        (
            "title.jsonl",
            &[
                "title",
                "--format",
                "json",
                "Sr. Technical Product Owner (m/w/d) - Remote, Berlin",
                "Tech Lead / Architect",
                "PM",
                "Barista",
                "Project Manager - CSM, Scrum Master, Coaching",
                "Architect",
            ],
            None,
            0,
            "stdout",
        ),
        ("title-none.txt", &["title", "Lighthouse Keeper", "Forklift Driver"], None, 1, "stdout"),
        (
            "drift-table.txt",
            &["drift", "fixtures/drift/postings.csv", "--by", "company", "--date-col", "posted", "-q", "-j", "2"],
            None,
            1,
            "stdout",
        ),
        (
            "eval-small.txt",
            &["eval", "fixtures/eval/labelled.csv", "--label-col", "label", "--text-col", "body", "--id-col", "id"],
            None,
            0,
            "stdout",
        ),
    ];
    for (name, args, stdin, code, stream) in cases {
        let out = rolecall(args, *stdin);
        assert_eq!(out.status.code(), Some(*code), "{name}: exit code; stderr: {}", text(&out.stderr));
        let s = if *stream == "stdout" { text(&out.stdout) } else { text(&out.stderr) };
        golden(name, &s);
    }
}

#[test]
fn json_evidence_spans_slice_the_input() {
    let path = "fixtures/postings/technical-program-manager.txt";
    let input = std::fs::read_to_string(root().join(path)).unwrap();
    let out = rolecall(&["classify", "--format", "json", path], None);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["role"], "technical-program-manager");
    assert_eq!(v["rules"].as_str().unwrap().len(), 12);
    let ev = v["evidence"].as_array().unwrap();
    assert!(!ev.is_empty());
    for e in ev {
        let (s, t) = (e["start"].as_u64().unwrap() as usize, e["end"].as_u64().unwrap() as usize);
        assert_eq!(&input[s..t], e["text"].as_str().unwrap());
        let line = e["line"].as_u64().unwrap() as usize;
        assert_eq!(input[..s].matches('\n').count() + 1, line);
    }
    // HTML entities and tags did not stop matching: "software engineering &amp; site reliability" is in the text.
    assert!(ev.iter().any(|e| e["text"].as_str().unwrap().contains("engineers")), "{ev:?}");
}

#[test]
fn title_is_reported_not_scored() {
    let path = "fixtures/postings/cto.txt";
    let plain = rolecall(&["classify", "--format", "json", path], None);
    let titled = rolecall(&["classify", "--format", "json", "--title", "Junior Scrum Master", path], None);
    let a: serde_json::Value = serde_json::from_slice(&plain.stdout).unwrap();
    let b: serde_json::Value = serde_json::from_slice(&titled.stdout).unwrap();
    assert_eq!(b["title"], "Junior Scrum Master");
    assert_eq!(a["role"], b["role"]);
    assert_eq!(a["score"], b["score"]);
    assert_eq!(a["evidence"], b["evidence"]);
}

#[test]
fn input_errors_are_clear_and_exit_2() {
    let dir = std::env::temp_dir().join(format!("rolecall-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let empty = dir.join("empty.txt");
    std::fs::write(&empty, "  \n\t\n").unwrap();
    let e = rolecall(&["classify", empty.to_str().unwrap()], None);
    assert_eq!(e.status.code(), Some(2));
    assert!(text(&e.stderr).contains("the posting is empty"), "{}", text(&e.stderr));

    let d = rolecall(&["classify", dir.to_str().unwrap()], None);
    assert_eq!(d.status.code(), Some(2));
    assert!(text(&d.stderr).contains("is a directory"));

    let missing = rolecall(&["classify", "no/such/file.txt"], None);
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing.stderr).contains("no/such/file.txt: cannot read"));

    // One bad file among good ones: the good ones are still reported, the exit code says something failed.
    let mixed = rolecall(&["classify", "--format", "csv", "fixtures/postings/cto.txt", empty.to_str().unwrap()], None);
    assert_eq!(mixed.status.code(), Some(2));
    assert_eq!(text(&mixed.stdout).lines().count(), 2, "header + the cto row");

    let bad = rolecall(&["classify", "--format", "xml", "fixtures/postings/cto.txt"], None);
    assert_eq!(bad.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn binary_input_gets_one_clear_line_and_no_bytes_echoed() {
    // A zip file's start: a signature, NUL bytes, and bytes no terminal should see.
    let zip: &[u8] = b"PK\x03\x04\x14\x00\x00\x00\x08\x00\x1b[31mdescription\x00\x07\xff";
    let dir = std::env::temp_dir().join(format!("rolecall-bin-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("postings.zip");
    std::fs::write(&file, zip).unwrap();
    let f = file.to_str().unwrap();
    for (args, stdin, what) in [
        (vec!["classify", f], None, "not a text posting"),
        (vec!["classify", "-"], Some(zip), "not a text posting"),
        (vec!["batch", f], None, "not a CSV or JSON Lines file"),
        (vec!["batch", "-"], Some(zip), "not a CSV or JSON Lines file"),
        (vec!["drift", f], None, "not a CSV or JSON Lines file"),
        (vec!["eval", f], None, "not a CSV file"),
        (vec!["mine", f, "--role", "cto"], None, "not a CSV file"),
    ] {
        let out = rolecall(&args, stdin);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: one line: {err}");
        assert!(err.contains("looks like a zip archive") && err.contains(what), "{err}");
        assert!(!out.stderr.iter().any(|&b| b == 0 || b == 0x1b || b == 0x07), "{args:?}: raw bytes echoed");
        assert!(out.stdout.is_empty(), "{args:?}: nothing on stdout");
    }
    // Binary data without a known signature: mostly control bytes.
    let noise: Vec<u8> = (0..600u32).map(|i| (i * 7 % 32) as u8).collect();
    let out = rolecall(&["classify", "-"], Some(&noise));
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("looks like binary data, not a text posting"), "{}", text(&out.stderr));
    // A PDF.
    let out = rolecall(&["classify", "-"], Some(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"));
    assert!(text(&out.stderr).contains("looks like a PDF file"), "{}", text(&out.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn invalid_utf8_is_decoded_lossily_with_a_warning() {
    let mut bytes =
        b"Facilitate sprint planning and retrospectives, remove impediments \xff\xfe and coach the team in Scrum."
            .to_vec();
    bytes.extend_from_slice(b"\nTrack velocity and burndown.");
    let out = rolecall(&["classify", "--format", "json", "-"], Some(&bytes));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("not valid UTF-8"));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["role"], "scrum-master");
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let path = "fixtures/postings/scrum-master.txt";
    let auto = rolecall(&["classify", path], None);
    assert!(!text(&auto.stdout).contains('\x1b'), "not a terminal: no colour");
    let always = rolecall(&["classify", "--color", "always", path], None);
    assert!(text(&always.stdout).contains("\x1b[1;32m"));
    assert!(!text(&always.stdout).contains('['.to_string().repeat(2).as_str()));
}

#[test]
fn rule_packs_in_other_languages_are_added_with_files() {
    let de = Path::new("fixtures/rules-de");
    let posting = "Ihre Aufgaben: Sie verantworten das Produkt-Backlog und die Priorisierung der User Stories, \
                   formulieren Akzeptanzkriterien und entwickeln mit den Stakeholdern die Produktvision.";
    let out =
        rolecall(&["--rules", de.to_str().unwrap(), "classify", "--format", "json", "-"], Some(posting.as_bytes()));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["role"], "produktverantwortlicher");

    let negated = "Ihre Aufgaben: Kundenberatung am Telefon. Keine Backlog-Pflege, keine Priorisierung.";
    let out =
        rolecall(&["--rules", "fixtures/rules-de", "classify", "--format", "json", "-"], Some(negated.as_bytes()));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["role"], "other");
    assert!(v["evidence"].as_array().unwrap().iter().all(|e| e["negated"] == true));

    let ja = "プロダクトバックログの優先順位を決め、ユーザーストーリーを書きます。ステークホルダーとロードマップを作ります。";
    let out = rolecall(&["--rules-add", "fixtures/rules-ja", "classify", "--format", "json", "-"], Some(ja.as_bytes()));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["role"], "product-owner-ja", "{v}");
    for e in v["evidence"].as_array().unwrap() {
        let (s, t) = (e["start"].as_u64().unwrap() as usize, e["end"].as_u64().unwrap() as usize);
        assert_eq!(&ja[s..t], e["text"].as_str().unwrap());
    }
}

#[test]
fn eval_writes_predictions_for_every_labelled_row() {
    let dir = std::env::temp_dir().join(format!("rolecall-eval-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let pred = dir.join("pred.csv");
    let out = rolecall(
        &[
            "eval",
            "fixtures/eval/labelled.csv",
            "--label-col",
            "label",
            "--text-col",
            "body",
            "--id-col",
            "id",
            "--format",
            "json",
            "--errors",
            "5",
            "--predictions",
            pred.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["metrics"]["n"], 6);
    assert_eq!(v["metrics"]["unknown_labels"]["astronaut"], 1);
    let written = std::fs::read_to_string(&pred).unwrap();
    let mut lines = written.lines();
    assert_eq!(lines.next(), Some("id,label,predicted,status,confidence"));
    let ids: Vec<&str> = lines.map(|l| l.split(',').next().unwrap()).collect();
    assert_eq!(ids, vec!["p1", "p2", "p3", "p4", "p5", "p8"]);
    let missing = rolecall(&["eval", "fixtures/eval/labelled.csv", "--label-col", "nope"], None);
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing.stderr).contains("column `nope` is not in the header"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn batch_streams_records_with_exit_codes_and_atomic_output() {
    let dir = std::env::temp_dir().join(format!("rolecall-batch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let scrum = "Facilitate sprint planning and retrospectives, remove impediments and coach the team in Scrum.";
    let good = format!("job_id;title;description\nA;SM;\"{scrum}\"\nB;Baker;Bake bread every morning.\n");
    let input = dir.join("in.csv");
    std::fs::write(&input, &good).unwrap();
    let out = dir.join("out.csv");

    // All records classified: exit 0, the header and one row per record, in order.
    let r = rolecall(&["batch", input.to_str().unwrap(), "-o", out.to_str().unwrap(), "-j", "2"], None);
    assert_eq!(r.status.code(), Some(0), "{}", text(&r.stderr));
    let written = std::fs::read_to_string(&out).unwrap();
    let ids: Vec<&str> = written.lines().skip(1).map(|l| l.split(',').nth(1).unwrap()).collect();
    assert_eq!(ids, vec!["A", "B"]);
    assert!(written.lines().nth(1).unwrap().contains(",scrum-master,"));
    assert!(text(&r.stderr).contains("columns id=job_id title=title text=description"), "{}", text(&r.stderr));
    assert!(text(&r.stderr).contains("read 2, classified 2 (other 1), errors 0"), "{}", text(&r.stderr));

    // A run that cannot start leaves the previous output untouched and no temporary file behind.
    let bad = rolecall(&["batch", input.to_str().unwrap(), "-o", out.to_str().unwrap(), "--text-col", "nope"], None);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("the header has: job_id, title, description"), "{}", text(&bad.stderr));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), written);
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // Error records: exit 1, each in the errors file with its record number and line.
    std::fs::write(&input, format!("{good}C;X;\nD;Y;\"{scrum}\";extra\n")).unwrap();
    let errors = dir.join("errors.csv");
    let r = rolecall(
        &["batch", input.to_str().unwrap(), "-o", out.to_str().unwrap(), "--errors", errors.to_str().unwrap()],
        None,
    );
    assert_eq!(r.status.code(), Some(1), "{}", text(&r.stderr));
    let errs = std::fs::read_to_string(&errors).unwrap();
    assert_eq!(errs.lines().count(), 3, "{errs}");
    assert!(errs.contains("3,4,") && errs.contains("empty"), "{errs}");
    assert!(errs.contains("4,5,") && errs.contains("expected 3 fields"), "{errs}");
    assert_eq!(std::fs::read_to_string(&out).unwrap().lines().count(), 3);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn batch_is_a_stdin_to_stdout_filter_for_json_lines() {
    let scrum = "Facilitate sprint planning and retrospectives, remove impediments and coach the team in Scrum.";
    let input = format!("{{\"id\":\"x1\",\"text\":\"{scrum}\"}}\n{{\"id\":\"x2\",\"text\":\"Bake bread.\"}}\n");
    let r = rolecall(&["batch", "--input-format", "jsonl", "--format", "jsonl", "--quiet"], Some(input.as_bytes()));
    assert_eq!(r.status.code(), Some(0), "{}", text(&r.stderr));
    assert!(r.stderr.is_empty(), "--quiet: {}", text(&r.stderr));
    let rows: Vec<serde_json::Value> = text(&r.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (rows[0]["record"].as_u64(), rows[0]["source"].as_str(), rows[0]["role"].as_str()),
        (Some(1), Some("x1"), Some("scrum-master"))
    );
    assert_eq!(rows[1]["role"], "other");
    assert!(rows[0]["evidence"].as_array().is_some_and(|e| !e.is_empty()));
}

#[test]
fn drift_rows_account_for_every_record_identically_for_any_thread_count() {
    let dir = std::env::temp_dir().join(format!("rolecall-drift-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut outputs = Vec::new();
    for j in ["1", "4"] {
        let rows = dir.join(format!("rows-{j}.csv"));
        let errs = dir.join(format!("errors-{j}.csv"));
        let out = rolecall(
            &[
                "drift",
                "fixtures/drift/postings.csv",
                "-o",
                rows.to_str().unwrap(),
                "--errors",
                errs.to_str().unwrap(),
                "--format",
                "json",
                "-q",
                "-j",
                j,
            ],
            None,
        );
        assert_eq!(out.status.code(), Some(1), "one record has no text: exit 1; {}", text(&out.stderr));
        let summary: serde_json::Value = serde_json::from_slice(&out.stdout).expect("--format json is one object");
        let rows_text = std::fs::read_to_string(&rows).unwrap();
        let mut rdr = csv::Reader::from_reader(rows_text.as_bytes());
        let header = rdr.headers().unwrap().clone();
        let records: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
        let errors = std::fs::read_to_string(&errs).unwrap().lines().count() - 1;
        // 12 records in: 11 rows and 1 error record, nothing lost.
        assert_eq!((records.len(), errors), (11, 1));
        assert_eq!(summary["postings"], 11);
        let col = |name: &str| header.iter().position(|h| h == name).unwrap();
        let row = |id: &str| records.iter().find(|r| &r[col("id")] == id).unwrap().clone();
        // A PO title over a TPM body: far. A PO body under its own title: none. "PM" names no single role.
        assert_eq!((&row("d2")[col("stated_role")], &row("d2")[col("drift")]), ("product-owner", "far"));
        assert_eq!(&row("d2")[col("body_role")], "technical-program-manager");
        assert_eq!(&row("d1")[col("drift")], "none");
        assert_eq!((&row("d12")[col("stated_status")], &row("d12")[col("drift")]), ("ambiguous", "unknown"));
        outputs.push((rows_text, summary));
    }
    assert_eq!(outputs[0].0, outputs[1].0, "rows differ between -j 1 and -j 4");
    assert_eq!(outputs[0].1, outputs[1].1, "the aggregate differs between -j 1 and -j 4");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn drift_is_checked_against_a_reader_s_judgements() {
    let args = ["drift", "fixtures/drift/postings.csv", "--judged", "fixtures/drift/judged.csv"];
    let out = rolecall(&args, None);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    // Record 10 has no text: an error record, exit 1, as without --judged.
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let section = &stdout[stdout.find("against the reader's judgements").expect(&stdout)..];
    // 11 of the 12 judged ids are in the input; x99 is reported apart.
    assert!(section.starts_with("against the reader's judgements (11 of 12 judged postings classified)"), "{section}");
    assert!(stderr.contains("1 judged id(s) are not among the postings classified"), "{stderr}");
    let row = |name: &str| -> Vec<u64> {
        let line = section.lines().find(|l| l.split_whitespace().next() == Some(name)).expect(name);
        line.split_whitespace().skip(1).map(|n| n.parse().unwrap()).collect()
    };
    // d2, d5, d7 are flagged and judged drift; the fits are none (same role) or unknown (a barista, a thin TPO body);
    // the ambiguous "PM" title is unknown and unclear to the reader too.
    assert_eq!(row("flagged"), [3, 0, 0]);
    assert_eq!(row("none"), [0, 5, 0]);
    assert_eq!(row("unknown"), [0, 2, 1]);
    assert!(section.contains("precision 100.0% (3 of 3 flags judged drift or fits)"), "{section}");
    assert!(section.contains("recall    100.0% (3 of 3 judged drifts flagged)"), "{section}");
    assert!(!section.contains("false alarms") && !section.contains("missed"), "{section}");

    // The JSON summary carries the same tally; a reader who calls the sales body under "Project Manager" a fit
    // makes it a false alarm, listed with what the run read.
    let dir = std::env::temp_dir().join(format!("rolecall-judged-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let other = dir.join("judged.csv");
    std::fs::write(&other, "id,verdict\nd5,fits\nd2,drift\nd1,drift\n").unwrap();
    let out = rolecall(
        &["drift", "fixtures/drift/postings.csv", "--judged", other.to_str().unwrap(), "--format", "json", "-q"],
        None,
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("summary JSON");
    let j = &v["judged"];
    assert_eq!((j["judged"].as_u64(), j["matched"].as_u64()), (Some(3), Some(3)), "{j}");
    assert_eq!(j["table"]["flagged"], serde_json::json!({"drift": 1, "fits": 1, "unclear": 0}));
    assert_eq!((j["precision"].as_f64(), j["recall"].as_f64()), (Some(0.5), Some(0.5)));
    assert_eq!(j["false_alarms"][0]["id"], "d5");
    assert_eq!(
        (&j["missed"][0]["id"], &j["missed"][0]["why"]),
        (&serde_json::json!("d1"), &serde_json::json!("same-role"))
    );
    // Without --judged the summary has no such field.
    let plain = rolecall(&["drift", "fixtures/drift/postings.csv", "--format", "json", "-q"], None);
    let v: serde_json::Value = serde_json::from_slice(&plain.stdout).unwrap();
    assert!(v.get("judged").is_none());

    // A verdict that is not drift, fits or unclear is a usage error naming the file and the record.
    std::fs::write(&other, "id,verdict\nd1,fits\nd2,maybe\n").unwrap();
    let out = rolecall(&["drift", "fixtures/drift/postings.csv", "--judged", other.to_str().unwrap(), "-q"], None);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("judged.csv: record 2 (id d2): verdict `maybe` is not drift, fits or unclear"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The stored verdicts on the shared postings (fixtures/judged/) stay readable, one verdict per row: they are used
/// with `../shared` data that this test suite never needs.
#[test]
fn stored_judgements_read_whole() {
    let dir = root().join("fixtures/judged");
    let mut files = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|x| x != "csv") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let j = rolecall::judged::Judgements::from_csv(text.as_bytes())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let rows = csv::Reader::from_reader(text.as_bytes()).records().count();
        assert_eq!(j.len(), rows, "{}", path.display());
        assert!(rows >= 19, "{}: {rows} rows", path.display());
        files += 1;
    }
    assert_eq!(files, 4, "rounds 6 and 7, and round 8 for both files");
}

#[test]
fn drift_html_report_is_self_contained_and_escapes_postings() {
    let dir = std::env::temp_dir().join(format!("rolecall-html-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let html = dir.join("report.html");
    let out = rolecall(
        &["drift", "fixtures/drift/postings.csv", "--date-col", "posted", "--html", html.to_str().unwrap(), "-q"],
        None,
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(!page.to_lowercase().contains("<script"), "a posting's <script> must show as text");
    assert!(page.contains("&lt;script&gt;"), "the hostile title is shown, escaped");
    assert!(!page.contains("<link") && !page.contains("src=\"http") && !page.contains("url("), "no external resources");
    assert!(page.contains("<svg") && page.contains("class=\"matrix\""), "chart and heat map present");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn mine_lists_wording_typical_of_one_label() {
    let args = ["mine", "fixtures/mine/labelled.csv", "--role", "technical-program-manager", "--id-col", "id"];
    let o = rolecall(&[&args[..], &["--min-count", "3", "--format", "csv"]].concat(), None);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    let mut rows = out.lines();
    assert_eq!(rows.next(), Some("kind,words,in_role,elsewhere,lift,examples"));
    let launch = out.lines().find(|l| l.starts_with("phrase,launch calendar,")).expect("the label's own wording");
    assert!(launch.starts_with("phrase,launch calendar,5,0,"), "{launch}");
    assert!(!out.contains("dependencies"), "what the pack already matches for the role is left out:\n{out}");
    // Five ads of four employers: counted once per employer.
    let o =
        rolecall(&[&args[..], &["--min-count", "3", "--format", "csv", "--distinct-col", "company"]].concat(), None);
    assert!(text(&o.stdout).contains("phrase,launch calendar,4,0,"), "{}", text(&o.stdout));
    // The short record is reported, not dropped silently; stdin is refused (two passes).
    let human = rolecall(&[&args[..], &["--min-count", "3"]].concat(), None);
    assert!(text(&human.stdout).contains("1 error records") && text(&human.stdout).contains("record 17"));
    let o = rolecall(&["mine", "-", "--role", "cto"], Some(b"id,title_label,description\n"));
    assert_eq!(o.status.code(), Some(2));
    let o = rolecall(&["mine", "fixtures/mine/labelled.csv", "--role", "astronaut"], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("no posting is labelled `astronaut`"), "{}", text(&o.stderr));
}

#[test]
fn eval_prints_the_figures_per_value_of_a_column() {
    let o =
        rolecall(&["eval", "fixtures/mine/labelled.csv", "--id-col", "id", "--by", "board", "--format", "json"], None);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let by = v["by"].as_array().unwrap();
    let values: Vec<&str> = by.iter().map(|g| g["value"].as_str().unwrap()).collect();
    assert_eq!(values, ["north", "south"]);
    let n = |g: &serde_json::Value| g["metrics"]["n"].as_u64().unwrap();
    assert_eq!(by.iter().map(n).sum::<u64>(), v["metrics"]["n"].as_u64().unwrap(), "the groups partition the rows");
    let human = rolecall(&["eval", "fixtures/mine/labelled.csv", "--id-col", "id", "--by", "board"], None);
    let out = text(&human.stdout);
    assert!(out.contains("by board") && out.lines().any(|l| l.starts_with("north ")), "{out}");
    let missing = rolecall(&["eval", "fixtures/mine/labelled.csv", "--by", "nope"], None);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn completions_and_man_pages_cover_every_subcommand() {
    let subcommands = ["classify", "eval", "batch", "title", "drift", "rules", "explain", "mine"];
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = rolecall(&["completions", shell], None);
        assert_eq!(out.status.code(), Some(0), "{shell}: {}", text(&out.stderr));
        let script = text(&out.stdout);
        for sub in subcommands {
            assert!(script.contains(sub), "{shell} completion lacks {sub}");
        }
        // Options of a subcommand complete too.
        assert!(script.contains("mask-names") && script.contains("text-col"), "{shell}: subcommand options");
    }
    let bad = rolecall(&["completions", "tcsh"], None);
    assert_eq!(bad.status.code(), Some(2));

    let man = rolecall(&["man"], None);
    assert_eq!(man.status.code(), Some(0));
    let page = text(&man.stdout);
    assert!(page.starts_with(".ie") || page.contains(".TH rolecall 1"), "roff: {}", &page[..page.len().min(80)]);
    assert!(page.contains(".TH rolecall 1") && page.contains("rolecall\\-classify(1)"));

    // Every page into a directory: the main page and one per subcommand, nested ones included.
    let dir = std::env::temp_dir().join(format!("rolecall-man-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = rolecall(&["man", "--dir", dir.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    for sub in subcommands
        .iter()
        .map(|s| format!("rolecall-{s}.1"))
        .chain(["rolecall.1".into(), "rolecall-rules-lint.1".into()])
    {
        let page = std::fs::read_to_string(dir.join(&sub)).unwrap_or_else(|e| panic!("{sub}: {e}"));
        assert!(page.contains(".SH OPTIONS") || page.contains(".SH SUBCOMMANDS"), "{sub} is a man page");
    }
    let classify = std::fs::read_to_string(dir.join("rolecall-classify.1")).unwrap();
    assert!(classify.contains("\\-\\-title"), "the classify page documents its options");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_first_line_that_reads_as_a_title_is_the_title_and_says_so() {
    let path = "fixtures/postings/cto.txt"; // its first line: "Chief Technology Officer"
    let json = |args: &[&str]| -> serde_json::Value {
        let out = rolecall(args, None);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let guessed = json(&["classify", "--format", "json", path]);
    assert_eq!(
        (guessed["title"].as_str(), guessed["title_from"].as_str()),
        (Some("Chief Technology Officer"), Some("first-line"))
    );
    assert_eq!(guessed["drift"]["drift"], "none", "the guessed title gets a drift verdict like a given one");
    let off = json(&["classify", "--format", "json", "--no-title-guess", path]);
    assert!(off["title"].is_null() && off["title_from"].is_null() && off["drift"].is_null());
    // The verdict never depends on it.
    assert_eq!(
        (&guessed["role"], &guessed["score"], &guessed["evidence"]),
        (&off["role"], &off["score"], &off["evidence"])
    );
    // A given title wins over the first line.
    let given = json(&["classify", "--format", "json", "--title", "Scrum Master", path]);
    assert_eq!((given["title"].as_str(), given["title_from"].as_str()), (Some("Scrum Master"), Some("given")));
    // A first line that is a sentence is not a title.
    let scrum = rolecall(&["classify", "--format", "json", "fixtures/postings/scrum-master.txt"], None);
    let v: serde_json::Value = serde_json::from_slice(&scrum.stdout).unwrap();
    assert!(v["title"].is_null(), "{}", v["title"]);
    // The human report says where the title came from.
    let human = rolecall(&["classify", "--color", "never", path], None);
    assert!(text(&human.stdout).contains("\"Chief Technology Officer\" (the first line, read as the title;"));
}

#[test]
fn eval_detects_the_delimiter_and_the_columns_like_batch() {
    let dir = std::env::temp_dir().join(format!("rolecall-evalcols-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let scrum =
        "Facilitate sprint planning, daily stand-ups and retrospectives; remove impediments and coach the team.";
    let cto =
        "Set the company-wide technology vision as a member of the executive leadership team, reporting to the CEO.";
    let csv = format!("Job ID;Job Title;Job Description;Label\n1;SM;\"{scrum}\";scrum-master\n2;CTO;\"{cto}\";cto\n");
    let path = dir.join("semicolons.csv");
    std::fs::write(&path, csv).unwrap();
    let p = path.to_str().unwrap();
    let out = rolecall(&["eval", p, "--format", "json"], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr)
            .contains("columns label=Label id=Job ID title=Job Title text=Job Description (delimiter ';')"),
        "{}",
        text(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["metrics"]["n"], 2, "{v}");
    assert_eq!(v["metrics"]["accuracy"], 1.0, "{v}");
    // Named columns still win, and a missing label column is a clear error naming the header.
    let wrong = rolecall(&["eval", p, "--label-col", "expected"], None);
    assert_eq!(wrong.status.code(), Some(2));
    std::fs::write(&path, format!("id;description\n1;\"{scrum}\"\n")).unwrap();
    let none = rolecall(&["eval", p], None);
    assert_eq!(none.status.code(), Some(2));
    assert!(text(&none.stderr).contains("no label column found") && text(&none.stderr).contains("id, description"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn min_confidence_reports_weak_verdicts_as_uncertain_apart_from_other() {
    let thin = b"Own the product backlog.".as_slice();
    let json = |args: &[&str]| -> serde_json::Value {
        let out = rolecall(args, Some(thin));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let plain = json(&["classify", "--format", "json", "-"]);
    let conf = plain["confidence"].as_f64().unwrap();
    assert_eq!(plain["status"], "match");
    let above = format!("{:.4}", (conf + 0.1).min(1.0));
    let below = format!("{:.4}", (conf - 0.05).max(0.0));
    let weak = json(&["classify", "--format", "json", "--min-confidence", &above, "-"]);
    assert_eq!(
        (weak["status"].as_str(), weak["role"].as_str()),
        (Some("uncertain"), plain["role"].as_str()),
        "the role stays, as the best guess"
    );
    assert_eq!(weak["evidence"], plain["evidence"]);
    assert_eq!(json(&["classify", "--format", "json", "--min-confidence", &below, "-"])["status"], "match");
    let bad = rolecall(&["classify", "--min-confidence", "1.5", "-"], Some(thin));
    assert_eq!(bad.status.code(), Some(2));

    // batch counts them apart from other; drift reads such a body as not testifying.
    let csv = format!(
        "id,title,description\n1,Scrum Master,\"{}\"\n2,PO,Own the product backlog.\n3,Baker,Bread.\n",
        std::fs::read_to_string(root().join("fixtures/postings/scrum-master.txt")).unwrap().replace('"', "'")
    );
    let out = rolecall(&["batch", "-", "--format", "jsonl", "--min-confidence", &above], Some(csv.as_bytes()));
    let summary = text(&out.stderr);
    assert!(summary.contains("(other 1, uncertain 1)"), "{summary}");
    let rows: Vec<serde_json::Value> = text(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let statuses: Vec<&str> = rows.iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["match", "uncertain", "none"]);
    let out = rolecall(&["drift", "-", "--format", "jsonl", "--min-confidence", "0.99"], Some(csv.as_bytes()));
    for line in text(&out.stdout).lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_ne!(v["drift"], "none", "nothing is confident enough to fit or drift: {v}");
    }
}

#[test]
fn output_to_a_device_or_fifo_is_written_in_place_never_replaced() {
    // `-o /dev/null` once replaced /dev/null with a regular file (an atomic rename over it, as root). A FIFO stands
    // in for any such target here: it must stay a FIFO and receive the rows.
    use std::os::unix::fs::FileTypeExt;
    let dir = std::env::temp_dir().join(format!("rolecall-fifo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let fifo = dir.join("rows.csv");
    let _ = std::fs::remove_file(&fifo);
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let csv = "id,description\n1,Facilitate sprint planning and retrospectives and remove impediments.\n";
    let out = rolecall(&["batch", "-", "-q", "-o", fifo.to_str().unwrap()], Some(csv.as_bytes()));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let rows = reader.join().unwrap();
    assert!(rows.lines().count() == 2 && rows.contains("scrum-master"), "{rows}");
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo(), "still a FIFO");
    let leftovers: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().filter(|e| e.path() != fifo).collect();
    assert!(leftovers.is_empty(), "no temporary file left: {leftovers:?}");
    let _ = std::fs::remove_dir_all(&dir);
}
