//! Drift aggregate printers: readable terminal tables ([`drift_tables`]) and a self-contained HTML page
//! ([`drift_html`]: no network, no scripts, no external fonts; a heat-map matrix, an inline-SVG time series, and
//! the most drifted postings with their evidence highlighted). Posting text is untrusted: everything that comes
//! from the input is HTML-escaped, so a posting containing `<script>` shows as text.

use crate::aggregate::{Counts, DriftFacts, DriftSummary, MarkKind, NO_ROLE};
use crate::ruleset::RuleSet;
use crate::score::one_line;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// Rows shown per group table before "... and N more".
const MAX_GROUPS: usize = 30;
/// Roles per axis of the terminal matrix.
const MATRIX_ROLES: usize = 16;
/// Stated roles drawn in the time series.
const SERIES: usize = 5;

fn pct(r: Option<f64>) -> String {
    r.map_or("-".to_string(), |r| format!("{:.1}%", r * 100.0))
}

fn counts_line(c: &Counts) -> String {
    format!("none {}, near {}, far {}, unknown {}", c.none, c.near, c.far, c.unknown)
}

/// Matrix cells by (stated, body) role.
type Cells = BTreeMap<(String, String), u64>;

/// Roles of the matrix: stated roles (rows, titles that name a role) and body roles (columns), by frequency.
fn matrix_axes(s: &DriftSummary) -> (Vec<String>, Vec<String>, Cells) {
    let cells: Cells =
        s.matrix().into_iter().filter(|c| c.stated != NO_ROLE).map(|c| ((c.stated, c.body), c.n)).collect();
    let mut row_n: BTreeMap<&str, u64> = BTreeMap::new();
    let mut col_n: BTreeMap<&str, u64> = BTreeMap::new();
    for ((r, c), n) in &cells {
        *row_n.entry(r).or_default() += n;
        *col_n.entry(c).or_default() += n;
    }
    let order = |m: BTreeMap<&str, u64>| {
        let mut v: Vec<(&str, u64)> = m.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        v.into_iter().map(|(k, _)| k.to_string()).collect::<Vec<_>>()
    };
    let rows = order(row_n);
    // Columns: the stated roles first (so the diagonal reads down), then the other body roles.
    let mut cols: Vec<String> = rows.iter().filter(|r| col_n.contains_key(r.as_str())).cloned().collect();
    cols.extend(order(col_n).into_iter().filter(|c| !rows.contains(c)));
    (rows, cols, cells)
}

/// Writes the aggregate as terminal tables.
pub fn drift_tables<W: Write>(out: &mut W, s: &DriftSummary, rules_hash: &str) -> io::Result<()> {
    let c = &s.counts;
    writeln!(out, "title drift over {} postings (rules {rules_hash})", s.postings)?;
    writeln!(out, "  {}", counts_line(c))?;
    writeln!(
        out,
        "  drift rate {} of {} postings whose title and body both name a role",
        pct(c.rate()),
        c.none + c.near + c.far
    )?;
    for class in ["none", "unknown"] {
        let rows: Vec<String> =
            s.why().into_iter().filter(|w| w.drift == class).map(|w| format!("{} {}", w.why, w.n)).collect();
        if !rows.is_empty() {
            writeln!(out, "  {class:<8} because {}", rows.join(", "))?;
        }
    }

    writeln!(out, "\nby stated role")?;
    writeln!(
        out,
        "  {:<28} {:>6} {:>6} {:>6} {:>6} {:>8} {:>7}",
        "stated role", "n", "none", "near", "far", "unknown", "drift"
    )?;
    for r in s.per_stated() {
        let k = r.counts;
        writeln!(
            out,
            "  {:<28} {:>6} {:>6} {:>6} {:>6} {:>8} {:>7}",
            r.role,
            r.n,
            k.none,
            k.near,
            k.far,
            k.unknown,
            pct(r.rate)
        )?;
    }

    let (mut rows, mut cols, cells) = matrix_axes(s);
    if !rows.is_empty() {
        // A terminal is narrow: the most frequent roles, the rest summed (the full matrix is in JSON and HTML).
        let cut = rows.len() > MATRIX_ROLES || cols.len() > MATRIX_ROLES;
        rows.truncate(MATRIX_ROLES);
        cols.truncate(MATRIX_ROLES);
        writeln!(out, "\nstated (rows) × body (columns){}", if cut { ", most frequent roles" } else { "" })?;
        for (i, c) in cols.iter().enumerate() {
            writeln!(out, "  {:>3}  {c}", i + 1)?;
        }
        write!(out, "  {:<28}", "")?;
        for i in 0..cols.len() {
            write!(out, "{:>5}", i + 1)?;
        }
        writeln!(out, "{}", if cut { "  rest" } else { "" })?;
        for r in &rows {
            write!(out, "  {r:<28}")?;
            for col in &cols {
                match cells.get(&(r.clone(), col.clone())) {
                    Some(n) if r == col => write!(out, "{:>5}", format!("[{n}]"))?,
                    Some(n) => write!(out, "{n:>5}")?,
                    None => write!(out, "{:>5}", ".")?,
                }
            }
            if cut {
                let rest: u64 = cells.iter().filter(|((a, b), _)| a == r && !cols.contains(b)).map(|(_, n)| n).sum();
                write!(out, "{rest:>6}")?;
            }
            writeln!(out)?;
        }
        if cut {
            writeln!(out, "  (full matrix: --format json or --html)")?;
        }
    }

    if !s.top().is_empty() {
        writeln!(out, "\nmost drifted postings")?;
        for f in s.top() {
            let strength = f.strength.map_or("-".to_string(), |x| format!("{x:.2}"));
            writeln!(out, "  {}", posting_line(f, &format!("{} {strength}", f.drift.as_str())))?;
            let quote = |v: &[String]| v.iter().map(|p| format!("{p:?}")).collect::<Vec<_>>().join(", ");
            writeln!(out, "      body:   {}", quote(&f.body_evidence))?;
            writeln!(
                out,
                "      stated: {}",
                if f.stated_evidence.is_empty() { "(none)".to_string() } else { quote(&f.stated_evidence) }
            )?;
            if !f.names.is_empty() {
                writeln!(out, "      named:  {} (not counted)", f.names.join("; "))?;
            }
        }
    }

    let groups = s.groups();
    if !groups.is_empty() {
        let mut groups = groups;
        groups.sort_by(|a, b| b.counts.total().cmp(&a.counts.total()).then(a.group.cmp(&b.group)));
        writeln!(out, "\nby group ({} groups)", groups.len())?;
        writeln!(out, "  {:<36} {:>6} {:>8} {:>7}  top stated roles", "group", "n", "resolved", "drift")?;
        for g in groups.iter().take(MAX_GROUPS) {
            let top: Vec<String> = g
                .per_stated
                .iter()
                .filter(|r| r.role != NO_ROLE)
                .take(3)
                .map(|r| format!("{} {} ({})", r.role, r.n, pct(r.rate)))
                .collect();
            let k = g.counts;
            writeln!(
                out,
                "  {:<36} {:>6} {:>8} {:>7}  {}",
                truncate(&g.group, 36),
                k.total(),
                k.none + k.near + k.far,
                pct(g.rate),
                top.join(", ")
            )?;
        }
        if groups.len() > MAX_GROUPS {
            writeln!(out, "  ... and {} more groups (see --format json)", groups.len() - MAX_GROUPS)?;
        }
    }

    if s.has_periods() {
        let d = s.dates;
        writeln!(
            out,
            "\nover time (dates: {} parsed, {} missing, {} unparseable)",
            d.parsed, d.missing, d.unparseable
        )?;
        let periods = s.periods();
        let series = series_roles(s);
        write!(out, "  {:<10} {:>6} {:>7}", "period", "n", "drift")?;
        for r in &series {
            write!(out, " {:>14}", truncate(r, 14))?;
        }
        writeln!(out)?;
        for p in &periods {
            write!(out, "  {:<10} {:>6} {:>7}", p.period, p.counts.total(), pct(p.rate))?;
            for r in &series {
                let cell = p
                    .per_stated
                    .iter()
                    .find(|x| &x.role == r)
                    .map_or("-".to_string(), |x| format!("{} ({})", pct(x.rate), x.n));
                write!(out, " {cell:>14}")?;
            }
            writeln!(out)?;
        }
    }
    if let Some(t) = &s.judged {
        judged_table(out, t)?;
    }
    Ok(())
}

/// How the flags agree with a reader's judgements (`--judged`).
fn judged_table<W: Write>(out: &mut W, t: &crate::judged::JudgedTally) -> io::Result<()> {
    writeln!(
        out,
        "
against the reader's judgements ({} of {} judged postings classified)",
        t.matched(),
        t.judged
    )?;
    writeln!(out, "  {:<10} {:>6} {:>6} {:>8}", "run/reader", "drift", "fits", "unclear")?;
    for (name, row) in ["flagged", "none", "unknown"].iter().zip(t.table) {
        writeln!(out, "  {name:<10} {:>6} {:>6} {:>8}", row[0], row[1], row[2])?;
    }
    let [real, fits, _] = t.table[0];
    let judged_drifts: u64 = t.table.iter().map(|r| r[0]).sum();
    writeln!(out, "  precision {} ({real} of {} flags judged drift or fits)", pct(t.precision()), real + fits)?;
    writeln!(out, "  recall    {} ({real} of {judged_drifts} judged drifts flagged)", pct(t.recall()))?;
    for (head, list) in [("false alarms (flagged, judged fits)", &t.false_alarms), ("missed (judged drift)", &t.missed)]
    {
        if list.is_empty() {
            continue;
        }
        writeln!(out, "  {head}:")?;
        for f in list {
            writeln!(out, "    {}", posting_line(f, &format!("{}, {}", f.drift.as_str(), f.why.as_str())))?;
        }
    }
    Ok(())
}

/// One posting in a list: `#record id  "title": stated -> body (tail)`.
fn posting_line(f: &DriftFacts, tail: &str) -> String {
    format!("#{} {}  {:?}: {} -> {} ({tail})", f.record, f.id, f.title, f.stated.as_deref().unwrap_or(NO_ROLE), f.body)
}

/// The stated roles drawn over time: the most frequent ones with a known role.
fn series_roles(s: &DriftSummary) -> Vec<String> {
    s.per_stated().into_iter().filter(|r| r.role != NO_ROLE).take(SERIES).map(|r| r.role).collect()
}

/// `s` cut to `n` characters, the last one an ellipsis when it was cut.
pub fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

const CSS: &str = "
body{font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1d2330;background:#f6f7f9;margin:0}
main{max-width:1100px;margin:0 auto;padding:32px 24px 64px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:36px 0 12px;border-bottom:1px solid #d9dde5;padding-bottom:6px}
.sub{color:#5b6475;margin:0 0 20px}
.cards{display:flex;gap:14px;flex-wrap:wrap}
.card{background:#fff;border:1px solid #e1e4ea;border-radius:10px;padding:14px 18px;min-width:130px}
.card b{display:block;font-size:24px}.card span{color:#5b6475;font-size:13px}
table{border-collapse:collapse;background:#fff;border:1px solid #e1e4ea;border-radius:8px;font-size:13px}
th,td{padding:5px 9px;text-align:right;border-bottom:1px solid #eef0f4}th{background:#f0f2f6;font-weight:600}
td:first-child,th:first-child{text-align:left}
.matrix th.col{writing-mode:vertical-rl;transform:rotate(180deg);text-align:left;vertical-align:bottom;height:170px}
.matrix td{min-width:28px;text-align:center}.matrix td.diag{outline:2px solid #2f6f4f;outline-offset:-2px}
.scroll{overflow-x:auto}
.posting{background:#fff;border:1px solid #e1e4ea;border-radius:10px;padding:14px 18px;margin:14px 0}
.posting h3{margin:0 0 6px;font-size:16px}.meta{color:#5b6475;font-size:13px;margin-bottom:8px}
.tag{display:inline-block;border-radius:4px;padding:0 6px;font-size:12px;font-weight:600}
.far{background:#fde2e1;color:#9b1c1c}.near{background:#fdf1d6;color:#8a5a00}
blockquote{margin:8px 0;padding:6px 12px;border-left:3px solid #d9dde5;color:#333}
mark.body{background:#cdeccf}mark.stated{background:#d7e5fb}mark.name{background:#eee;text-decoration:underline dotted}
.legend span{margin-right:14px;font-size:13px}
svg text{font:12px system-ui,sans-serif;fill:#444}
";

/// Writes the aggregate as one self-contained HTML page.
pub fn drift_html<W: Write>(out: &mut W, s: &DriftSummary, rules: &RuleSet) -> io::Result<()> {
    let c = &s.counts;
    let mut h = String::new();
    h += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">";
    h += "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">";
    h += "<title>rolecall: title drift</title><style>";
    h += CSS;
    h += "</style></head><body><main>\n";
    h += "<h1>Title drift</h1>";
    h += &format!(
        "<p class=\"sub\">{} postings · role stated by the title against the role the body describes (responsibility evidence only) · rules {}</p>\n",
        s.postings,
        escape(rules.hash())
    );
    h += "<div class=\"cards\">";
    for (v, label) in [
        (pct(c.rate()), "drift rate (of resolved)".to_string()),
        (c.none.to_string(), "same role".to_string()),
        (c.near.to_string(), "near (same family)".to_string()),
        (c.far.to_string(), "far (other family)".to_string()),
        (c.unknown.to_string(), "unknown (title or body unresolved)".to_string()),
    ] {
        h += &format!("<div class=\"card\"><b>{}</b><span>{}</span></div>", escape(&v), escape(&label));
    }
    h += "</div>\n";

    // The rule that decided each posting.
    h += "<h2>Why</h2><table><tr><th>rule</th><th>drift</th><th>postings</th></tr>";
    for w in s.why() {
        h += &format!("<tr><td>{}</td><td>{}</td><td>{}</td></tr>", escape(w.why), escape(w.drift), w.n);
    }
    h += "</table>\n";

    // Per stated role.
    h += "<h2>By stated role</h2><table><tr><th>stated role</th><th>n</th><th>none</th><th>near</th><th>far</th><th>unknown</th><th>drift</th></tr>";
    for r in s.per_stated() {
        let k = r.counts;
        h += &format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&r.role),
            r.n,
            k.none,
            k.near,
            k.far,
            k.unknown,
            pct(r.rate)
        );
    }
    h += "</table>\n";

    // Matrix heat map.
    let (rows, cols, cells) = matrix_axes(s);
    if !rows.is_empty() {
        let max = cells.values().copied().max().unwrap_or(1).max(1) as f64;
        h += "<h2>Stated × body</h2><p class=\"sub\">Rows: the role the title states. Columns: the role the body describes. Outlined: same role.</p>";
        h += "<div class=\"scroll\"><table class=\"matrix\"><tr><th></th>";
        for col in &cols {
            h += &format!("<th class=\"col\">{}</th>", escape(col));
        }
        h += "</tr>";
        for r in &rows {
            h += &format!("<tr><th>{}</th>", escape(r));
            for col in &cols {
                let n = cells.get(&(r.clone(), col.clone())).copied().unwrap_or(0);
                let class = if r == col { " class=\"diag\"" } else { "" };
                if n == 0 {
                    h += &format!("<td{class}></td>");
                } else {
                    // Heat: the share of the largest cell, on a square-root scale so small cells stay visible.
                    let t = (n as f64 / max).sqrt();
                    let (red, green, blue) = if r == col { (47, 111, 79) } else { (190, 60, 40) };
                    let fg = if t > 0.55 { "#fff" } else { "#1d2330" };
                    h += &format!(
                        "<td{class} style=\"background:rgba({red},{green},{blue},{:.2});color:{fg}\" title=\"{} → {}: {n}\">{n}</td>",
                        0.12 + 0.88 * t,
                        escape(r),
                        escape(col)
                    );
                }
            }
            h += "</tr>";
        }
        h += "</table></div>\n";
    }

    // Time series.
    if s.has_periods() {
        let d = s.dates;
        h += &format!(
            "<h2>Drift over time</h2><p class=\"sub\">Dates: {} parsed, {} missing, {} unparseable (counted, not used).</p>",
            d.parsed, d.missing, d.unparseable
        );
        h += &time_series_svg(s);
    }

    // Groups.
    let mut groups = s.groups();
    if !groups.is_empty() {
        groups.sort_by(|a, b| b.counts.total().cmp(&a.counts.total()).then(a.group.cmp(&b.group)));
        h += "<h2>By group</h2><table><tr><th>group</th><th>n</th><th>resolved</th><th>drift</th><th>top stated roles</th></tr>";
        for g in groups.iter().take(MAX_GROUPS * 2) {
            let k = g.counts;
            let top: Vec<String> = g
                .per_stated
                .iter()
                .filter(|r| r.role != NO_ROLE)
                .take(3)
                .map(|r| format!("{} {} ({})", escape(&r.role), r.n, pct(r.rate)))
                .collect();
            h += &format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td style=\"text-align:left\">{}</td></tr>",
                escape(&g.group),
                k.total(),
                k.none + k.near + k.far,
                pct(g.rate),
                top.join(", ")
            );
        }
        h += "</table>\n";
        if groups.len() > MAX_GROUPS * 2 {
            h += &format!("<p class=\"sub\">… and {} more groups.</p>", groups.len() - MAX_GROUPS * 2);
        }
    }

    // Most drifted postings.
    if !s.top().is_empty() {
        h += "<h2>Most drifted postings</h2><p class=\"legend\"><span><mark class=\"body\">body role evidence</mark></span><span><mark class=\"stated\">stated role evidence</mark></span><span><mark class=\"name\">name mention (not counted)</mark></span></p>";
        for f in s.top() {
            h += &posting_html(f);
        }
    }

    // Against a reader's judgements (`--judged`).
    if let Some(t) = &s.judged {
        h += &format!(
            "<h2>Against the reader's judgements</h2><p class=\"sub\">{} of {} judged postings classified · precision {} · recall {}</p>",
            t.matched(),
            t.judged,
            pct(t.precision()),
            pct(t.recall())
        );
        h += "<table><tr><th>run \\ reader</th><th>drift</th><th>fits</th><th>unclear</th></tr>";
        for (name, row) in ["flagged", "none", "unknown"].iter().zip(t.table) {
            h += &format!("<tr><td>{name}</td><td>{}</td><td>{}</td><td>{}</td></tr>", row[0], row[1], row[2]);
        }
        h += "</table>\n";
        for (head, list) in
            [("False alarms (flagged, judged fits)", &t.false_alarms), ("Missed (judged drift)", &t.missed)]
        {
            if list.is_empty() {
                continue;
            }
            h += &format!("<h3>{head}</h3><table><tr><th>#</th><th>id</th><th>title</th><th>stated</th><th>body</th><th>drift</th><th>why</th></tr>");
            for d in list {
                h += &format!(
                    "<tr><td>{}</td><td>{}</td><td style=\"text-align:left\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    d.record,
                    escape(&d.id),
                    escape(&d.title),
                    escape(d.stated.as_deref().unwrap_or(NO_ROLE)),
                    escape(&d.body),
                    d.drift.as_str(),
                    d.why.as_str()
                );
            }
            h += "</table>\n";
        }
    }
    h += "\n</main></body></html>\n";
    out.write_all(h.as_bytes())
}

fn posting_html(f: &DriftFacts) -> String {
    let mut h = String::from("<div class=\"posting\">");
    h += &format!("<h3>{}</h3>", escape(&f.title));
    h += &format!(
        "<div class=\"meta\">#{} · {} · stated <b>{}</b> → body <b>{}</b> · <span class=\"tag {}\">{}</span> strength {}</div>",
        f.record,
        escape(&f.id),
        escape(f.stated.as_deref().unwrap_or(NO_ROLE)),
        escape(&f.body),
        f.drift.as_str(),
        f.drift.as_str(),
        f.strength.map_or("-".to_string(), |x| format!("{x:.2}"))
    );
    for e in &f.excerpts {
        h += "<blockquote>… ";
        let mut at = 0;
        for m in &e.marks {
            h += &escape(&one_line(&e.text[at..m.start]));
            let class = match m.kind {
                MarkKind::Body => "body",
                MarkKind::Stated => "stated",
                MarkKind::Name => "name",
            };
            h += &format!("<mark class=\"{class}\">{}</mark>", escape(&one_line(&e.text[m.start..m.end])));
            at = m.end;
        }
        h += &escape(&one_line(&e.text[at..]));
        h += " …</blockquote>";
    }
    h += "</div>\n";
    h
}

/// An inline SVG line chart: the overall drift rate per period, and the rate of the most frequent stated roles.
fn time_series_svg(s: &DriftSummary) -> String {
    let periods = s.periods();
    if periods.is_empty() {
        return "<p class=\"sub\">No dated postings.</p>".to_string();
    }
    let (w, hgt, left, right, top, bottom) = (960.0, 320.0, 48.0, 190.0, 16.0, 40.0);
    let plot_w = w - left - right;
    let plot_h = hgt - top - bottom;
    let x = |i: usize| {
        if periods.len() == 1 {
            left + plot_w / 2.0
        } else {
            left + plot_w * i as f64 / (periods.len() - 1) as f64
        }
    };
    let y = |r: f64| top + plot_h * (1.0 - r);
    let mut svg = format!(
        "<svg viewBox=\"0 0 {w} {hgt}\" width=\"100%\" role=\"img\" aria-label=\"drift rate per period\" xmlns=\"http://www.w3.org/2000/svg\" style=\"background:#fff;border:1px solid #e1e4ea;border-radius:8px\">"
    );
    for k in 0..=4 {
        let r = k as f64 / 4.0;
        svg += &format!(
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#eef0f4\"/><text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}%</text>",
            left + plot_w,
            y(r),
            y(r),
            left - 6.0,
            y(r) + 4.0,
            k * 25
        );
    }
    let step = (periods.len() / 12).max(1);
    for (i, p) in periods.iter().enumerate() {
        if i % step == 0 || i + 1 == periods.len() {
            svg += &format!(
                "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                x(i),
                hgt - 14.0,
                escape(&p.period)
            );
        }
    }
    let colours = ["#1d2330", "#c0392b", "#2e86de", "#27ae60", "#8e44ad", "#e67e22"];
    let mut series: Vec<(String, Vec<Option<f64>>)> =
        vec![("all postings".to_string(), periods.iter().map(|p| p.rate).collect())];
    for role in series_roles(s) {
        let pts = periods.iter().map(|p| p.per_stated.iter().find(|r| r.role == role).and_then(|r| r.rate)).collect();
        series.push((role, pts));
    }
    for (k, (name, pts)) in series.iter().enumerate() {
        let colour = colours[k % colours.len()];
        let width = if k == 0 { 3 } else { 2 };
        // Draw runs of consecutive known points as polylines, single points as dots.
        let mut run: Vec<(f64, f64)> = Vec::new();
        let flush = |run: &mut Vec<(f64, f64)>, svg: &mut String| {
            if run.len() > 1 {
                let d: Vec<String> = run.iter().map(|(a, b)| format!("{a:.1},{b:.1}")).collect();
                *svg += &format!(
                    "<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"{width}\" points=\"{}\"/>",
                    d.join(" ")
                );
            }
            for (a, b) in run.iter() {
                *svg += &format!("<circle cx=\"{a:.1}\" cy=\"{b:.1}\" r=\"3\" fill=\"{colour}\"/>");
            }
            run.clear();
        };
        for (i, p) in pts.iter().enumerate() {
            match p {
                Some(r) => run.push((x(i), y(*r))),
                None => flush(&mut run, &mut svg),
            }
        }
        flush(&mut run, &mut svg);
        let ly = top + 18.0 * k as f64 + 6.0;
        svg += &format!(
            "<rect x=\"{}\" y=\"{:.1}\" width=\"14\" height=\"4\" fill=\"{colour}\"/><text x=\"{}\" y=\"{:.1}\">{}</text>",
            w - right + 16.0,
            ly,
            w - right + 36.0,
            ly + 5.0,
            escape(name)
        );
    }
    svg += "</svg>";
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::{Excerpt, Mark, Period};
    use crate::drift::Drift;

    fn hostile() -> DriftFacts {
        let text = "Own <script>alert(1)</script> the roadmap & \"ship\"".to_string();
        let at = text.find("roadmap").unwrap();
        DriftFacts {
            record: 7,
            id: "<id onerror=x>".into(),
            title: "Product Owner <img src=x onerror=alert(1)>".into(),
            stated: Some("product-owner".into()),
            body: "sales".into(),
            drift: Drift::Far,
            strength: Some(0.8),
            why: crate::drift::Why::Drifted,
            body_score: 3.0,
            group: Some("<b>Acme</b>".into()),
            date: Some("2024-04-01".into()),
            body_evidence: vec!["<script>".into()],
            stated_evidence: Vec::new(),
            names: Vec::new(),
            excerpts: vec![Excerpt { text, marks: vec![Mark { start: at, end: at + 7, kind: MarkKind::Body }] }],
        }
    }

    #[test]
    fn html_escapes_every_piece_of_posting_text() {
        let rules = crate::default_rules().unwrap();
        let mut s = DriftSummary::new(5, Some(Period::Month));
        s.add(hostile());
        let mut out = Vec::new();
        drift_html(&mut out, &s, &rules).unwrap();
        let html = String::from_utf8(out).unwrap();
        assert!(!html.contains("<script"), "raw script tag in the page");
        assert!(!html.contains("<img"), "raw img tag in the page");
        assert!(!html.contains("<b>Acme"), "raw group markup in the page");
        assert!(!html.contains("<id "), "raw id markup in the page");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the script shows as text");
        assert!(html.contains("<mark class=\"body\">roadmap</mark>"), "evidence highlighted");
        assert!(
            !html.contains("http://")
                || html.matches("http://").all(|_| html.contains("xmlns=\"http://www.w3.org/2000/svg\""))
        );
        assert!(
            !html.contains("<link") && !html.contains("src=\"http") && !html.contains("@import"),
            "no external resources"
        );
        assert!(html.contains("<svg"), "time series drawn");
        assert!(!html.contains("reader's judgements"), "no judged section without judgements");
        // A reader's judgements: the section, with the disagreement's posting text escaped like the rest.
        let mut tally = crate::judged::JudgedTally::new(2);
        tally.add(crate::judged::Verdict::Fits, hostile());
        tally.add(crate::judged::Verdict::Drift, hostile());
        s.judged = Some(tally);
        let mut out = Vec::new();
        drift_html(&mut out, &s, &rules).unwrap();
        let html = String::from_utf8(out).unwrap();
        assert!(html.contains("2 of 2 judged postings classified · precision 50.0% · recall 100.0%"), "{html}");
        assert!(html.contains("<h3>False alarms (flagged, judged fits)</h3>"));
        assert!(!html.contains("<img") && !html.contains("<id "), "judged rows escape posting text");
    }

    #[test]
    fn tables_show_rates_and_the_matrix_diagonal() {
        let mut s = DriftSummary::new(3, None);
        let mut f = hostile();
        s.add(f.clone());
        f.record = 8;
        f.body = "product-owner".into();
        f.drift = Drift::None;
        f.strength = Some(0.0);
        s.add(f);
        let mut out = Vec::new();
        drift_tables(&mut out, &s, "abc").unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("drift rate 50.0% of 2 postings"), "{text}");
        assert!(text.contains("[1]"), "diagonal cell marked: {text}");
        assert!(text.contains("#7"), "top drifted posting listed: {text}");
        assert!(!text.contains("#8 "), "an undrifted posting is not listed: {text}");
    }
}
