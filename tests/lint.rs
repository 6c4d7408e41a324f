//! `rules lint` and `rules test` end to end: each bad rule file in `fixtures/lint/` sits beside its expected
//! diagnostics (`<name>.expected`; `UPDATE_GOLDEN=1` rewrites them), and the default pack lints clean and passes
//! all its examples.

use std::path::PathBuf;
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rolecall(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rolecall")).args(args).current_dir(root()).output().expect("run rolecall")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn every_bad_rule_file_gives_its_expected_diagnostics() {
    let dir = root().join("fixtures/lint");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() || p.extension().is_some_and(|x| x == "toml"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 6, "lint fixtures missing");
    for case in cases {
        let rel = case.strip_prefix(root()).unwrap().to_str().unwrap().to_string();
        let out = rolecall(&["rules", "lint", &rel]);
        let stdout = text(&out.stdout);
        let stem = case.file_stem().unwrap().to_str().unwrap();
        let expected_path = dir.join(format!("{stem}.expected"));
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(&expected_path, &stdout).unwrap();
        }
        let want = std::fs::read_to_string(&expected_path).unwrap_or_else(|_| panic!("missing {expected_path:?}"));
        assert_eq!(stdout, want, "{rel}: diagnostics differ from {stem}.expected (UPDATE_GOLDEN=1 rewrites)");
        let errors = stdout.lines().filter(|l| l.starts_with("error[")).count();
        assert_eq!(out.status.code(), Some(if errors > 0 { 1 } else { 0 }), "{rel}: exit code");
        // Every diagnostic names its place and carries a hint.
        for block in stdout.split("\n\n").filter(|b| b.starts_with("error[") || b.starts_with("warning[")) {
            assert!(block.contains(" --> "), "{rel}: no place in\n{block}");
            assert!(block.contains("= hint: "), "{rel}: no hint in\n{block}");
        }
    }
}

#[test]
fn lint_json_lists_every_diagnostic_with_code_and_place() {
    let out = rolecall(&["rules", "lint", "fixtures/lint/structure.toml", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let diags = v["diagnostics"].as_array().unwrap();
    assert_eq!(v["errors"].as_u64().unwrap() as usize, diags.iter().filter(|d| d["severity"] == "error").count());
    let codes: Vec<&str> = diags.iter().map(|d| d["code"].as_str().unwrap()).collect();
    for code in ["R004", "R005", "R007", "R008", "R009", "R014"] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
    assert!(diags.iter().all(|d| d["line"].as_u64().unwrap() > 0 && d["file"] == "fixtures/lint/structure.toml"));
}

#[test]
fn default_pack_lints_clean_and_passes_every_example() {
    let out = rolecall(&["rules", "lint"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.trim_end().ends_with(": 0 errors, 0 warnings"), "{stdout}");
    let out = rolecall(&["rules", "test"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    let last = stdout.lines().last().unwrap();
    let passed: usize = last.split(' ').next().unwrap().parse().unwrap();
    assert!(passed >= 250 && last.ends_with(" passed, 0 failed"), "{last}");
}

#[test]
fn rules_test_fails_on_failing_examples_on_roles_without_examples_and_when_nothing_ran() {
    let out = rolecall(&["rules", "test", "fixtures/lint/failing-example.toml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).trim_end().ends_with("2 passed, 2 failed"), "{}", text(&out.stdout));
    let out = rolecall(&["rules", "test", "fixtures/lint/no-examples.toml"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("R018") && stdout.trim_end().ends_with("0 passed, 1 failed"), "{stdout}");
    // A pack that does not compile is a rule error (exit 2), never a success.
    let out = rolecall(&["rules", "test", "fixtures/lint/syntax-error.toml"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn list_show_and_explain_describe_the_pack() {
    let out = rolecall(&["rules", "list", "--format", "json"]);
    let roles: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let tpo = roles.iter().find(|r| r["role"] == "technical-product-owner").unwrap();
    assert_eq!(tpo["family"], "product");
    assert!(tpo["areas"].as_u64().unwrap() >= 3 && tpo["phrases"].as_u64().unwrap() > 20);
    let out = rolecall(&["rules", "show", "tech-owner"]);
    let show = text(&out.stdout);
    assert!(show.contains("[technology-selection]") && show.contains("architecture selection"), "{show}");
    let out = rolecall(&["rules", "show", "technical-program-manager"]);
    let show = text(&out.stdout);
    assert!(show.contains("needs     evidence in engineering-background or engineering-partnership or"), "{show}");
    let out = rolecall(&["rules", "show", "astronaut"]);
    assert_eq!(out.status.code(), Some(2));
    let out = rolecall(&[
        "explain",
        "fixtures/postings/technical-product-owner.txt",
        "--role",
        "technical-product-owner",
        "--vs",
        "product-owner",
    ]);
    let ex = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{ex}");
    // Every area of both roles, what fired (with line:col) and what did not, and who leads.
    assert!(ex.contains("[business-engineering-bridge]") && ex.contains("- not found: "), "{ex}");
    assert!(ex.contains("+ 8:23 \"technical constraints\""), "{ex}");
    assert!(ex.contains("technical-product-owner leads product-owner by"), "{ex}");
    // The comparison comes first, and leads with what tipped it: the leader's distinguishing evidence, the
    // relation between the two roles, and the counterfactual without that evidence.
    let head = &ex[..ex.find("Technical Product Owner (technical-product-owner)").expect("the detail follows")];
    assert!(head.contains("technical-product-owner leads product-owner by"), "{head}");
    assert!(head.contains("technical-product-owner builds on product-owner"), "{head}");
    let tipped = &head[head.find("What tipped it: technical-product-owner's").expect("what tipped it")..];
    assert!(tipped.contains("8:23 \"technical constraints\""), "{tipped}");
    assert!(
        head.contains("without the evidence above, technical-product-owner would still lead (the body names it)"),
        "{head}"
    );
    // Asked the other way round, the same roles lead and trail.
    let out = rolecall(&[
        "explain",
        "fixtures/postings/technical-product-owner.txt",
        "--role",
        "product-owner",
        "--vs",
        "technical-product-owner",
    ]);
    assert!(text(&out.stdout).contains("What tipped it: technical-product-owner's"));
}
