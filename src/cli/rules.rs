//! The rule author's commands: `rules lint`, `rules test`, `rules list`, `rules show` and `explain`.

use super::{pack_sources, read_posting, Failure, Outcome, RuleArgs};
use clap::{Args, Subcommand, ValueEnum};
use rolecall::compare::Comparison;
use rolecall::ruleset::{RoleIdx, UseKind};
use rolecall::scan::HitKind;
use rolecall::{Posting, RuleSet, Session};
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub(super) enum RulesCommand {
    /// Check a rule pack: every diagnostic at once (code, file:line:col, the line with a caret, a hint). Exit 1 on
    /// errors.
    Lint(PackArgs),
    /// Run every example of every role file (postings and titles); exit 1 when one fails, when a role has no
    /// examples, or when none ran.
    Test(PackArgs),
    /// The roles of the pack: family, areas and signal counts.
    List(ListArgs),
    /// One role's profile in full.
    Show(ShowArgs),
}

#[derive(Debug, Args)]
pub(super) struct PackArgs {
    /// A rule folder, or one rule file (default: the pack given by --rules/--rules-add, else the built-in one).
    #[arg(value_name = "DIR|FILE")]
    dir: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ToolFormat::Human)]
    format: ToolFormat,
}

#[derive(Debug, Args)]
pub(super) struct ListArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ToolFormat::Human)]
    format: ToolFormat,
}

#[derive(Debug, Args)]
pub(super) struct ShowArgs {
    /// The role id.
    role: String,
}

#[derive(Debug, Args)]
pub(super) struct ExplainArgs {
    /// The posting (a file, or `-` for stdin).
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// The role to explain.
    #[arg(long)]
    role: String,
    /// A second role to compare with.
    #[arg(long)]
    vs: Option<String>,
    /// Output format (json: the verdict, the roles' ranks and the comparison, as `POST /v1/explain` answers).
    #[arg(long, value_enum, default_value_t = ToolFormat::Human)]
    format: ToolFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(super) enum ToolFormat {
    /// Readable text.
    Human,
    /// JSON, for editors and CI.
    Json,
}

/// `rules lint` and `rules test`: they read packs that may not compile.
pub(super) fn check_pack(rule_args: &RuleArgs, cmd: &RulesCommand) -> Result<Outcome, Failure> {
    let (RulesCommand::Lint(a) | RulesCommand::Test(a)) = cmd else { unreachable!("only lint and test check packs") };
    let sources = match &a.dir {
        Some(file) if file.is_file() => {
            let name = file.display().to_string();
            let text =
                std::fs::read_to_string(file).map_err(|e| Failure::Input(format!("{name}: cannot read: {e}")))?;
            vec![rolecall::Source { name, text }]
        }
        Some(dir) => rolecall::rulefile::read_dir(dir).map_err(|d| Failure::Rules(vec![d]))?,
        None => pack_sources(rule_args)?,
    };
    match cmd {
        RulesCommand::Lint(_) => lint(&sources, a.format),
        _ => test(&sources, a.format),
    }
}

fn lint(sources: &[rolecall::Source], format: ToolFormat) -> Result<Outcome, Failure> {
    let report = rolecall::lint::lint(sources);
    let (errors, warnings) = (report.errors(), report.warnings());
    let mut out = io::BufWriter::new(io::stdout().lock());
    match format {
        ToolFormat::Json => {
            let doc = serde_json::json!({
                "diagnostics": report.diagnostics,
                "errors": errors,
                "warnings": warnings,
                "files": sources.len(),
            });
            serde_json::to_writer_pretty(&mut out, &doc).map_err(io::Error::other)?;
            writeln!(out)?;
        }
        ToolFormat::Human => {
            for d in &report.diagnostics {
                writeln!(out, "{d}")?;
            }
            writeln!(
                out,
                "{} file{}: {errors} error{}, {warnings} warning{}",
                sources.len(),
                plural(sources.len()),
                plural(errors),
                plural(warnings)
            )?;
        }
    }
    out.flush()?;
    Ok(if errors > 0 { Outcome::CheckFailed } else { Outcome::Found })
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn test(sources: &[rolecall::Source], format: ToolFormat) -> Result<Outcome, Failure> {
    let rules = rolecall::compile(sources).map_err(Failure::Rules)?.rules;
    // Per file: (passed, failures).
    let mut files: BTreeMap<&str, (usize, Vec<String>)> = BTreeMap::new();
    for r in rules.roles() {
        files.entry(r.file.as_str()).or_default();
    }
    for c in rolecall::examples::check_all(&rules) {
        let e = files.entry(c.file).or_default();
        match c.result {
            Ok(()) => e.0 += 1,
            Err(why) => e.1.push(format!("{}:{}: {why}", c.file, c.line)),
        }
    }
    // A role without posting examples is a failure: nothing shows that its profile works.
    for r in rules.roles() {
        if !rules.examples().iter().any(|e| e.file == r.file) {
            let e = files.entry(r.file.as_str()).or_default();
            e.1.push(format!(
                "{}: error[R018]: role `{}` has no examples; add [[examples]] with `expect`",
                r.file, r.id
            ));
        }
    }
    let passed: usize = files.values().map(|f| f.0).sum();
    let failed: usize = files.values().map(|f| f.1.len()).sum();
    let mut out = io::BufWriter::new(io::stdout().lock());
    match format {
        ToolFormat::Json => {
            let per_file: Vec<serde_json::Value> = files
                .iter()
                .map(|(f, (p, fails))| serde_json::json!({"file": f, "passed": p, "failed": fails.len(), "failures": fails}))
                .collect();
            let doc = serde_json::json!({"files": per_file, "passed": passed, "failed": failed});
            serde_json::to_writer_pretty(&mut out, &doc).map_err(io::Error::other)?;
            writeln!(out)?;
        }
        ToolFormat::Human => {
            for (f, (p, fails)) in &files {
                let status = if fails.is_empty() { "ok  " } else { "FAIL" };
                writeln!(out, "{status} {f}: {p} passed, {} failed", fails.len())?;
                for why in fails {
                    writeln!(out, "     {why}")?;
                }
            }
            if passed + failed == 0 {
                writeln!(out, "no examples ran")?;
            }
            writeln!(out, "{passed} passed, {failed} failed")?;
        }
    }
    out.flush()?;
    Ok(if failed > 0 || passed == 0 { Outcome::CheckFailed } else { Outcome::Found })
}

/// The signals of one role: per area, its phrases and patterns as written; plus names, title phrases, negatives.
struct Profile<'r> {
    areas: Vec<Vec<&'r str>>,
    names: Vec<&'r str>,
    titles: Vec<&'r str>,
    negatives: Vec<&'r str>,
    patterns: usize,
    near: usize,
}

fn profile(rules: &RuleSet, role: RoleIdx) -> Profile<'_> {
    let r = &rules.roles()[role as usize];
    let mut p = Profile {
        areas: vec![Vec::new(); r.areas.len()],
        names: Vec::new(),
        titles: Vec::new(),
        negatives: Vec::new(),
        patterns: 0,
        near: 0,
    };
    // In file order: by where each phrase is written.
    let mut uses: Vec<&rolecall::ruleset::Use> = rules.patterns().iter().flat_map(|x| &x.uses).collect();
    uses.sort_by_key(|u| (u.at.0, u.at.1.start));
    // A phrase written with `word~` has a use per form: list it once.
    let mut seen = std::collections::HashSet::new();
    uses.retain(|u| seen.insert((u.group, u.kind == UseKind::Title { role })));
    for u in uses {
        match u.kind {
            UseKind::Responsibility { role: x, area } if x == role => p.areas[area as usize].push(&u.phrase),
            UseKind::Name { role: x } if x == role => p.names.push(&u.phrase),
            UseKind::Title { role: x } if x == role && !p.names.contains(&u.phrase.as_str()) => {
                p.titles.push(&u.phrase)
            }
            UseKind::Negative { role: x } if x == role => p.negatives.push(&u.phrase),
            _ => {}
        }
    }
    for re in rules.regexes().iter().filter(|re| re.role == role) {
        p.areas[re.area as usize].push(&re.source);
        p.patterns += 1;
    }
    for nr in rules.near_rules().iter().filter(|nr| nr.role == role) {
        p.areas[nr.area as usize].push(&nr.source);
        p.near += 1;
    }
    p
}

/// `rules list` and `rules show`.
pub(super) fn inspect(rules: &RuleSet, cmd: RulesCommand) -> Result<Outcome, Failure> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    match cmd {
        RulesCommand::List(a) => {
            let rows: Vec<serde_json::Value> = (0..rules.roles().len())
                .map(|i| {
                    let r = &rules.roles()[i];
                    let p = profile(rules, i as RoleIdx);
                    let phrases: usize = p.areas.iter().map(Vec::len).sum::<usize>() - p.patterns - p.near;
                    serde_json::json!({
                        "role": r.id, "name": r.name, "family": r.family, "areas": r.areas.len(),
                        "phrases": phrases, "patterns": p.patterns, "near": p.near, "names": p.names.len(),
                        "titles": p.titles.len(), "negatives": p.negatives.len(),
                        "examples": rules.examples().iter().filter(|e| e.file == r.file).count(),
                        "file": r.file,
                    })
                })
                .collect();
            match a.format {
                ToolFormat::Json => {
                    serde_json::to_writer_pretty(&mut out, &rows).map_err(io::Error::other)?;
                    writeln!(out)?;
                }
                ToolFormat::Human => {
                    let n = |v: &serde_json::Value| v.as_u64().unwrap_or(0);
                    writeln!(
                        out,
                        "{:<27} {:<22} {:>5} {:>7} {:>8} {:>5} {:>5} {:>6} {:>8}",
                        "role", "family", "areas", "phrases", "patterns", "near", "names", "titles", "examples"
                    )?;
                    for r in &rows {
                        writeln!(
                            out,
                            "{:<27} {:<22} {:>5} {:>7} {:>8} {:>5} {:>5} {:>6} {:>8}",
                            r["role"].as_str().unwrap_or(""),
                            r["family"].as_str().unwrap_or(""),
                            n(&r["areas"]),
                            n(&r["phrases"]),
                            n(&r["patterns"]),
                            n(&r["near"]),
                            n(&r["names"]),
                            n(&r["titles"]),
                            n(&r["examples"])
                        )?;
                    }
                    writeln!(out, "{} roles, rules {}", rows.len(), rules.hash())?;
                }
            }
        }
        RulesCommand::Show(a) => {
            let idx = rules.role_index(&a.role).map_err(Failure::Input)?;
            let r = &rules.roles()[idx as usize];
            let p = profile(rules, idx);
            writeln!(out, "{} ({}), family {}", r.name, r.id, r.family)?;
            writeln!(out, "  {}", r.summary)?;
            writeln!(out, "  file      {}", r.file)?;
            if !r.builds_on.is_empty() {
                let b: Vec<&str> = r.builds_on.iter().map(|&b| rules.roles()[b as usize].id.as_str()).collect();
                writeln!(out, "  builds on {} (share {:.2})", b.join(", "), r.builds_on_share)?;
            }
            if !r.distinguishing_with.is_empty() {
                let with: Vec<&str> = r.distinguishing_with.iter().map(|&a| r.areas[a as usize].id.as_str()).collect();
                writeln!(out, "  needs     evidence in {} too, to be distinguished", with.join(" or "))?;
            }
            writeln!(out, "  names     {}", p.names.join(", "))?;
            if !p.titles.is_empty() {
                writeln!(out, "  titles    {}", p.titles.join(", "))?;
            }
            for (i, area) in r.areas.iter().enumerate() {
                let mark = if area.distinguishing {
                    ", distinguishing"
                } else if area.background {
                    ", counted only in a background clause"
                } else {
                    ""
                };
                writeln!(out, "\n  [{}] {} (weight {:.1}{mark})", area.id, area.name, area.weight)?;
                for s in &p.areas[i] {
                    writeln!(out, "    {s}")?;
                }
            }
            if !p.negatives.is_empty() {
                writeln!(out, "\n  negative  {}", p.negatives.join(", "))?;
            }
            let ex = rules.examples().iter().filter(|e| e.file == r.file).count();
            let tex = rules.title_examples().iter().filter(|e| e.role == r.id).count();
            writeln!(out, "\n  {ex} example postings, {tex} title examples")?;
        }
        RulesCommand::Lint(_) | RulesCommand::Test(_) => unreachable!("handled before the pack is compiled"),
    }
    out.flush()?;
    Ok(Outcome::Found)
}

/// `explain`: area by area, every signal that fired for the role and every one that did not.
pub(super) fn explain(rules: &RuleSet, a: ExplainArgs) -> Result<Outcome, Failure> {
    let input = read_posting(&a.file).map_err(Failure::Input)?;
    let find = |id: &str| rules.role_index(id).map_err(Failure::Input);
    let mut roles = vec![find(&a.role)?];
    if let Some(vs) = &a.vs {
        roles.push(find(vs)?);
    }
    let mut scanner = Session::new(rules);
    if a.format == ToolFormat::Json {
        let report = scanner.explain(&input.text, &input.name, &roles);
        let mut out = io::BufWriter::new(io::stdout().lock());
        serde_json::to_writer(&mut out, &report).map_err(io::Error::other)?;
        writeln!(out)?;
        out.flush()?;
        return Ok(Outcome::Found);
    }
    let c = scanner.classify(Posting::new(&input.text));
    let index = rolecall::diag::LineIndex::new(&input.text);
    let mut out = io::BufWriter::new(io::stdout().lock());
    writeln!(out, "== {}", input.name)?;
    writeln!(out, "verdict: {} ({}), score {:.2}", c.role_id(), c.status.as_str(), c.score())?;
    if let [x, y] = roles[..] {
        let cmp = scanner.compare(&c, &input.text, x, y);
        write_comparison(&mut out, rules, &cmp, &input.text, &index)?;
    }
    let score_of = |r: RoleIdx| c.ranking.iter().find(|s| s.role == r);
    let rank_of = |r: RoleIdx| c.ranking.iter().position(|s| s.role == r).map(|i| i + 1);
    for &role in &roles {
        let r = &rules.roles()[role as usize];
        let s = score_of(role);
        writeln!(out)?;
        writeln!(
            out,
            "{} ({}): score {:.2}{}",
            r.name,
            r.id,
            s.map_or(0.0, |s| s.score),
            rank_of(role).map_or(", no evidence".to_string(), |k| format!(", rank {k} of {}", c.ranking.len()))
        )?;
        if let Some(s) = s {
            writeln!(
                out,
                "  = responsibilities {:.2}{}{}{}",
                s.responsibility,
                if s.names > 0 { format!(" + name {:.1}", rolecall::score::NAME_WEIGHT) } else { String::new() },
                s.base.map_or(String::new(), |(b, add)| format!(
                    " + {:.2} from {} (builds on)",
                    add,
                    rules.roles()[b as usize].id
                )),
                if s.negatives > 0 {
                    format!(
                        ", × {:.2} for {} negative cue(s)",
                        rolecall::score::NEGATIVE_FACTOR.powi(s.negatives as i32),
                        s.negatives
                    )
                } else {
                    String::new()
                }
            )?;
            if s.undistinguished {
                let ids: Vec<&str> = r.areas.iter().filter(|a| a.distinguishing).map(|a| a.id.as_str()).collect();
                writeln!(
                    out,
                    "  × {:.1}: too little evidence in its distinguishing areas ({}) and no name in the body",
                    rolecall::score::UNDISTINGUISHED_FACTOR,
                    ids.join(", ")
                )?;
            }
        }
        let p = profile(rules, role);
        for (ai, area) in r.areas.iter().enumerate() {
            let a_score = s.and_then(|s| s.areas.iter().find(|x| x.area as usize == ai));
            writeln!(
                out,
                "\n  [{}] {}{} — weight {:.1}, score {:.2} (evidence {:.2})",
                area.id,
                area.name,
                if area.distinguishing { " (distinguishing)" } else { "" },
                area.weight,
                a_score.map_or(0.0, |x| x.score),
                a_score.map_or(0.0, |x| x.evidence)
            )?;
            let mut fired: Vec<&str> = Vec::new();
            for e in c.evidence.iter().filter(|e| e.hit.kind == HitKind::Responsibility { role, area: ai as u16 }) {
                let (line, col) = index.line_col(&input.text, e.hit.start);
                let why = if e.hit.negated {
                    "negated".to_string()
                } else if e.counted {
                    format!("counts {:.2}{}", e.weight, if e.hit.boilerplate { " (boilerplate)" } else { "" })
                } else if e.weight == 0.0 {
                    "inside a longer match of this role".to_string()
                } else {
                    "repeat".to_string()
                };
                writeln!(out, "    + {line}:{col} {:?} ({}) {why}", &input.text[e.hit.start..e.hit.end], e.phrase)?;
                fired.push(e.phrase);
            }
            let missing: Vec<&str> = p.areas[ai].iter().copied().filter(|x| !fired.contains(x)).collect();
            if !missing.is_empty() {
                writeln!(out, "    - not found: {}", missing.join(", "))?;
            }
        }
        let names: Vec<String> = c
            .evidence
            .iter()
            .filter(|e| e.hit.kind == HitKind::Name { role })
            .map(|e| {
                // The report's own reasons, so explain and the evidence list never disagree.
                let why = rolecall::report::Uncounted::of(e).map_or("counts", |w| w.as_str());
                format!("{:?} {why}", &input.text[e.hit.start..e.hit.end])
            })
            .collect();
        if !names.is_empty() {
            writeln!(out, "\n  names: {}", names.join(", "))?;
        }
        let negatives: Vec<String> = c
            .evidence
            .iter()
            .filter(|e| e.hit.kind == HitKind::Negative { role })
            .map(|e| format!("{:?}", &input.text[e.hit.start..e.hit.end]))
            .collect();
        if !negatives.is_empty() {
            writeln!(out, "  negative cues: {}", negatives.join(", "))?;
        }
    }
    out.flush()?;
    Ok(Outcome::Found)
}

/// The head of `explain --vs`: what tipped the verdict between the two roles, and what would tip it the other way.
fn write_comparison(
    out: &mut impl Write,
    rules: &RuleSet,
    cmp: &Comparison<'_>,
    text: &str,
    index: &rolecall::diag::LineIndex,
) -> io::Result<()> {
    let id = |r: RoleIdx| rules.roles()[r as usize].id.as_str();
    let (l, t) = (id(cmp.lead.role), id(cmp.trail.role));
    writeln!(out)?;
    if cmp.gap() > 0.0 {
        writeln!(out, "{l} leads {t} by {:.2} ({:.2} vs {:.2})", cmp.gap(), cmp.lead.total(), cmp.trail.total())?;
    } else {
        writeln!(out, "{l} and {t} tie at {:.2}", cmp.lead.total())?;
    }
    // The scores' make-up, side by side.
    let column = |s: &Option<rolecall::score::RoleScore>| -> [String; 4] {
        let Some(s) = s else { return ["-".into(), "-".into(), "-".into(), "-".into()] };
        [
            format!("{:.2}", s.responsibility),
            if s.names > 0 { format!("{:.2}", rolecall::score::NAME_WEIGHT) } else { "-".into() },
            s.base.map_or("-".into(), |(b, add)| format!("{add:.2} ({})", id(b))),
            if s.undistinguished { "no (halved)".into() } else { "yes".into() },
        ]
    };
    let labels = ["responsibilities", "name in the body", "share of a role it builds on", "distinguished"];
    let cells: Vec<(&str, String, String)> = labels
        .into_iter()
        .zip(column(&cmp.lead.score).into_iter().zip(column(&cmp.trail.score)))
        .map(|(label, (a, b))| (label, a, b))
        .collect();
    let w = cells.iter().map(|(_, a, b)| a.len().max(b.len())).chain([l.len(), t.len()]).max().unwrap_or(8);
    writeln!(out, "  {:28} {l:>w$}  {t:>w$}", "")?;
    for (label, a, b) in cells {
        writeln!(out, "  {label:28} {a:>w$}  {b:>w$}")?;
    }
    if cmp.lead_builds_on_trail {
        writeln!(
            out,
            "  {l} builds on {t}: it counts a share of {t}'s evidence, so its own distinguishing areas decide"
        )?;
    } else if cmp.trail_builds_on_lead {
        writeln!(out, "  {t} builds on {l}: it would lead only with evidence in its own distinguishing areas")?;
    }
    let areas = |side: &rolecall::compare::Side<'_>, out: &mut dyn Write| -> io::Result<()> {
        let role = &rules.roles()[side.role as usize];
        if side.distinguishing.is_empty() {
            return writeln!(out, "    {} marks no distinguishing areas", role.id);
        }
        for d in &side.distinguishing {
            let area = &role.areas[d.area as usize];
            let found: Vec<String> = d
                .evidence
                .iter()
                .map(|&(s, e, _)| {
                    let (line, col) = index.line_col(text, s);
                    format!("{line}:{col} {:?}", &text[s..e])
                })
                .collect();
            let found = if found.is_empty() { "nothing found".to_string() } else { found.join(", ") };
            writeln!(out, "    [{}] {:.2}: {found}", area.id, d.score)?;
        }
        Ok(())
    };
    writeln!(out, "\nWhat tipped it: {l}'s distinguishing evidence")?;
    areas(&cmp.lead, out)?;
    writeln!(out, "\nWhat would tip it the other way")?;
    match cmp.without_lead_distinguishing {
        Some((a, b)) if b > a => {
            writeln!(out, "  without the evidence above, {t} would lead: {l} {a:.2} vs {t} {b:.2}")?
        }
        Some((a, b)) => {
            let named = cmp.lead.score.as_ref().is_some_and(|s| s.names > 0);
            let why = if named { " (the body names it)" } else { "" };
            writeln!(out, "  without the evidence above, {l} would still lead{why}: {a:.2} vs {t} {b:.2}")?
        }
        None => writeln!(out, "  {l} leads without distinguishing evidence of its own")?,
    }
    writeln!(out, "  {t}'s distinguishing evidence (more of it, in the empty areas, would raise {t}):")?;
    areas(&cmp.trail, out)?;
    Ok(())
}
