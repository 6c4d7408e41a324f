//! Title normalisation over a table of title variants we wrote (`fixtures/titles.tsv`): the role (or `none`, or
//! `ambiguous`), the seniority, the second role of a dual title, and the parts that must be kept apart.

use rolecall::title::TitleStatus;
use rolecall::Session;

#[test]
fn title_table_normalises_as_written() {
    let table = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/titles.tsv")).unwrap();
    let rules = rolecall::default_rules().unwrap();
    let mut scanner = Session::new(&rules);
    let id = |r: Option<u16>| r.map_or("-", |i| rules.roles()[i as usize].id.as_str());
    let (mut rows, mut failures) = (0, Vec::new());
    for (n, line) in table.lines().enumerate().filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty()) {
        rows += 1;
        let cols: Vec<&str> = line.split('\t').collect();
        assert!(cols.len() >= 4, "fixtures/titles.tsv:{}: needs 4 or 5 tab-separated columns", n + 1);
        let (title, role, seniority, also) = (cols[0], cols[1], cols[2], cols[3]);
        let r = scanner.title(title);
        let got_role = match r.status {
            TitleStatus::None => "none",
            TitleStatus::Ambiguous => "ambiguous",
            _ => id(r.role),
        };
        let got_level = r.seniority.map_or("-", |(l, _, _)| l.as_str());
        let mut wrong = Vec::new();
        if got_role != role {
            wrong.push(format!("role {got_role}, expected {role}"));
        }
        if got_level != seniority {
            wrong.push(format!("seniority {got_level}, expected {seniority}"));
        }
        if id(r.also) != also {
            wrong.push(format!("dual {}, expected {also}", id(r.also)));
        }
        if (r.status == TitleStatus::Dual) != (also != "-") {
            wrong.push(format!("status {:?}", r.status));
        }
        let parts: Vec<String> =
            r.parts.iter().map(|p| format!("{}={}", p.kind.as_str(), &title[p.start..p.end])).collect();
        for want in cols.get(4).unwrap_or(&"").split(';').map(str::trim).filter(|w| !w.is_empty()) {
            if !parts.iter().any(|p| p == want) {
                wrong.push(format!("missing part {want:?} (parts: {parts:?})"));
            }
        }
        if !wrong.is_empty() {
            failures.push(format!("fixtures/titles.tsv:{}: {title:?}: {}", n + 1, wrong.join("; ")));
        }
    }
    assert!(rows >= 80, "the table has {rows} titles; it should have at least 80");
    assert!(failures.is_empty(), "{} of {rows} titles wrong:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn title_spans_slice_the_title_and_never_overlap_the_role() {
    let rules = rolecall::default_rules().unwrap();
    let mut scanner = Session::new(&rules);
    for title in [
        "Sr. TPO (m/w/d) – Remote, Berlin – €80k–€95k",
        "  ",
        "İstanbul Product Owner",
        "PO/PO/PO",
        "(((",
        "Ürün Sahibi",
    ] {
        let r = scanner.title(title);
        let spans =
            r.parts.iter().map(|p| (p.start, p.end)).chain(r.matched).chain(r.seniority.map(|(_, s, e)| (s, e)));
        for (s, e) in spans {
            assert!(s < e && title.get(s..e).is_some(), "{title:?}: bad span {s}..{e}");
        }
        if let Some((ms, me)) = r.matched {
            assert!(r.parts.iter().all(|p| p.end <= ms || p.start >= me), "{title:?}: a part overlaps the role");
        }
    }
}
