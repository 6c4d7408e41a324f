//! The HTML of `rolecall serve`'s page: the form, and the verdict rendered on the server (so the page works without
//! JavaScript; its script only posts the same form and swaps the result in). Every piece of posting text goes
//! through [`esc`]; the page loads nothing from elsewhere (its CSS and script come from the same server).

use super::serve::PageForm;
use rolecall::report::{EvidenceItem, Report, RoleDetail, TitleFrom};
use rolecall::{RuleSet, Session};
use std::fmt::Write as _;

/// HTML-escapes `s` for text and attribute values.
pub(super) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The whole page, with `result` (HTML from [`render_result`]) in its result section.
pub(super) fn render(rules: &RuleSet, result: Option<&str>) -> String {
    let mut roles = String::new();
    for r in rules.roles() {
        let _ = write!(roles, r#"<option value="{}">{}</option>"#, esc(&r.id), esc(&r.name));
    }
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>rolecall: which role does this ad describe?</title>
<link rel="stylesheet" href="/page.css">
<script src="/page.js" defer></script>
</head>
<body>
<header><h1>rolecall</h1><p>Paste a job ad: rolecall reads its <em>body</em> and says which role it really describes, with the evidence.</p></header>
<main>
<form id="ad-form" method="post" action="/">
<label for="title">Posted title <span class="hint">(optional; if empty, a first line that reads as a title is used)</span></label>
<input id="title" name="title" type="text" autocomplete="off" maxlength="300">
<label for="text">The ad</label>
<textarea id="text" name="text" rows="14" required autofocus placeholder="Paste the whole ad here"></textarea>
<div class="row">
<button type="submit">Classify <span class="hint">(Ctrl+Enter)</span></button>
<label for="vs">Explain against</label>
<select id="vs" name="vs"><option value="">(no comparison)</option>{roles}</select>
</div>
</form>
<section id="result" aria-live="polite">{result}</section>
</main>
<footer>rules {hash} · <a href="/v1/openapi.json">API</a></footer>
</body>
</html>
"#,
        result = result.unwrap_or(""),
        hash = esc(rules.hash()),
    )
}

/// The verdict section for one submitted form.
pub(super) fn render_result(scanner: &mut Session<'static>, form: &PageForm) -> String {
    let mut h = String::new();
    let text = form.text.as_str();
    if text.trim().is_empty() {
        return r#"<p class="error" role="alert">Paste an ad first: the text is empty.</p>"#.to_string();
    }
    let given = Some(form.title.trim()).filter(|t| !t.is_empty());
    let report = scanner.report(text, "-", given, true);
    let rules = scanner.rules();

    // The verdict.
    let _ = write!(h, r#"<div class="verdict"><h2>{}</h2>"#, esc(report.name.unwrap_or("No role fits (other)")));
    let _ = write!(
        h,
        r#"<p><span class="status status-{s}">{s}</span> confidence {:.2} · score {:.2}</p>"#,
        report.confidence,
        report.score,
        s = report.status.as_str()
    );
    if let (Some(t), Some(TitleFrom::FirstLine)) = (report.title, report.title_from) {
        let _ = write!(h, r#"<p class="note">Title read from the first line: “{}”.</p>"#, esc(t));
    }
    if !report.runners_up.is_empty() {
        h.push_str("<p>Runners-up: ");
        let list: Vec<String> = report.runners_up.iter().map(|r| format!("{} ({:.2})", esc(r.name), r.score)).collect();
        h.push_str(&list.join(", "));
        h.push_str("</p>");
    }
    h.push_str("</div>");

    // Drift.
    if let Some(d) = &report.drift {
        let stated = d.stated.role.unwrap_or("no role");
        let _ = write!(
            h,
            r#"<div class="drift drift-{c}"><h3>Title drift: {c}</h3><p>The title “{t}” states <b>{s}</b>; the body's work reads as <b>{b}</b>{st}.</p></div>"#,
            c = d.drift.as_str(),
            t = esc(d.title),
            s = esc(stated),
            b = esc(d.body.role),
            st = d.strength.map_or(String::new(), |x| format!(" (strength {x:.2})")),
        );
    }

    // Areas of the winner and the runner-up, side by side.
    let shown: Vec<&RoleDetail<'_>> = report.roles.iter().take(2).collect();
    if let Some(first) = shown.first() {
        area_chart(&mut h, first, shown.get(1).copied());
    }

    // The comparison.
    if !form.vs.is_empty() {
        comparison(&mut h, scanner, rules, &report, text, &form.vs);
    }

    // The ad, evidence highlighted in place.
    let focus: Vec<&str> = shown.iter().map(|r| r.role).collect();
    h.push_str(r#"<h3>The ad, with its evidence</h3><p class="legend"><mark class="counted">counted</mark> <mark class="uncounted">did not count</mark> (hover or focus a mark for why)</p><div class="ad">"#);
    highlighted(&mut h, text, &report, &focus);
    h.push_str("</div>");
    h
}

/// A table of areas, one bar per role, numbers beside the bars (the bars are not the only carrier of the value).
fn area_chart(h: &mut String, a: &RoleDetail<'_>, b: Option<&RoleDetail<'_>>) {
    let _ = write!(
        h,
        r#"<h3>Responsibility areas</h3><table class="areas"><thead><tr><th scope="col">Area</th><th scope="col">{}</th>"#,
        esc(a.name)
    );
    if let Some(b) = b {
        let _ = write!(h, r#"<th scope="col">{}</th>"#, esc(b.name));
    }
    h.push_str("</tr></thead><tbody>");
    let bar = |h: &mut String, score: f64, weight: f64, class: &str| {
        let pct = if weight > 0.0 { (100.0 * score / weight).clamp(0.0, 100.0) } else { 0.0 };
        let _ = write!(
            h,
            r#"<td><span class="bar {class}"><span class="fill w{}"></span></span> {score:.2} / {weight:.1}</td>"#,
            (pct / 5.0).round() as u32 * 5
        );
    };
    for area in &a.areas {
        let _ = write!(
            h,
            "<tr><th scope=\"row\">{} <span class=\"hint\">{}</span></th>",
            esc(area.name),
            esc(&format!("{} · {}", a.role, area.id))
        );
        bar(h, area.score, area.weight, "first");
        if let Some(b) = b {
            let mine = b.areas.iter().find(|x| x.id == area.id);
            match mine {
                Some(x) => bar(h, x.score, x.weight, "second"),
                None => h.push_str("<td class=\"hint\">—</td>"),
            }
        }
        h.push_str("</tr>");
    }
    if let Some(b) = b {
        for area in b.areas.iter().filter(|x| !a.areas.iter().any(|y| y.id == x.id)) {
            let _ = write!(
                h,
                "<tr><th scope=\"row\">{} <span class=\"hint\">{}</span></th><td class=\"hint\">—</td>",
                esc(area.name),
                esc(&format!("{} · {}", b.role, area.id))
            );
            bar(h, area.score, area.weight, "second");
            h.push_str("</tr>");
        }
    }
    h.push_str("</tbody></table>");
}

/// The `explain --vs` comparison of the verdict's role (or the best one) with `vs`.
fn comparison(
    h: &mut String,
    scanner: &mut Session<'static>,
    rules: &RuleSet,
    report: &Report<'_>,
    text: &str,
    vs: &str,
) {
    let Some((b, _)) = rules.role(vs) else {
        let _ = write!(h, r#"<p class="error" role="alert">No role “{}” in the pack.</p>"#, esc(vs));
        return;
    };
    let c = scanner.classify(rolecall::Posting::new(text));
    let Some(a) = c.ranking.first().map(|s| s.role) else {
        h.push_str(r#"<p class="note">Nothing to compare: no role has evidence in this ad.</p>"#);
        return;
    };
    if a == b {
        let _ = write!(
            h,
            r#"<p class="note">{} is the verdict itself; pick another role to compare.</p>"#,
            esc(report.name.unwrap_or(vs))
        );
        return;
    }
    let cmp = scanner.compare(&c, text, a, b);
    let r = rolecall::compare::ComparisonReport::new(rules, &cmp, text);
    let _ = write!(
        h,
        r#"<div class="compare"><h3>{} against {}</h3><p>{} leads by {:.2} ({:.2} to {:.2}).</p>"#,
        esc(r.lead.role),
        esc(r.trail.role),
        esc(r.lead.role),
        r.gap,
        r.lead.score,
        r.trail.score
    );
    if r.lead_builds_on_trail {
        let _ = write!(
            h,
            "<p>{} builds on {}: it counts a share of its evidence.</p>",
            esc(r.lead.role),
            esc(r.trail.role)
        );
    } else if r.trail_builds_on_lead {
        let _ = write!(
            h,
            "<p>{} builds on {}: it counts a share of its evidence.</p>",
            esc(r.trail.role),
            esc(r.lead.role)
        );
    }
    for side in [&r.lead, &r.trail] {
        let _ = write!(h, "<h4>What only {} shows</h4><ul>", esc(side.role));
        if side.distinguishing.iter().all(|d| d.evidence.is_empty()) {
            h.push_str("<li class=\"hint\">nothing in its distinguishing areas</li>");
        }
        for d in side.distinguishing.iter().filter(|d| !d.evidence.is_empty()) {
            let mut words: Vec<String> = d.evidence.iter().map(|e| format!("“{}”", esc(e.text))).collect();
            words.dedup();
            let _ = write!(h, "<li>{}: {}</li>", esc(d.name), words.join(", "));
        }
        h.push_str("</ul>");
    }
    if let Some(cf) = r.without_lead_distinguishing {
        let _ = write!(
            h,
            "<p>Without {}'s distinguishing evidence the scores would be {:.2} to {:.2}: {}.</p>",
            esc(r.lead.role),
            cf.lead,
            cf.trail,
            if cf.trail > cf.lead { "that evidence is what tipped it" } else { "it would still lead" }
        );
    }
    h.push_str("</div>");
}

/// Why an evidence span counts or not, for its tooltip.
fn why(e: &EvidenceItem<'_>) -> String {
    let what = match e.area {
        Some(a) => format!("{} · {a}", e.role),
        None => format!("{} · {}", e.role, e.kind),
    };
    match e.uncounted {
        None if e.boilerplate => format!("{what} · weight {:.2} (boilerplate, reduced)", e.weight),
        None => format!("{what} · weight {:.2}", e.weight),
        Some(u) => format!("{what} · not counted: {}", u.as_str()),
    }
}

/// `text` with the evidence of the `focus` roles marked; a span inside an earlier marked one is left to the list
/// in its tooltip.
fn highlighted(h: &mut String, text: &str, report: &Report<'_>, focus: &[&str]) {
    let mut spans: Vec<&EvidenceItem<'_>> =
        report.evidence.iter().filter(|e| focus.contains(&e.role) && e.start < e.end).collect();
    spans.sort_by_key(|e| (e.start, std::cmp::Reverse(e.end)));
    let mut at = 0;
    let mut i = 0;
    while i < spans.len() {
        let e = spans[i];
        if e.start < at {
            i += 1;
            continue;
        }
        // Every span that starts inside this one shares its mark; the tooltip lists them all.
        let mut tips = vec![why(e)];
        let mut counted = e.counted;
        let mut j = i + 1;
        while j < spans.len() && spans[j].start < e.end {
            tips.push(why(spans[j]));
            counted |= spans[j].counted;
            j += 1;
        }
        h.push_str(&esc(&text[at..e.start]));
        let _ = write!(
            h,
            r#"<mark class="{}" tabindex="0" title="{}">{}</mark>"#,
            if counted { "counted" } else { "uncounted" },
            esc(&tips.join("\n")),
            esc(&text[e.start..e.end])
        );
        at = e.end;
        i = j;
    }
    h.push_str(&esc(&text[at..]));
}

#[cfg(test)]
mod tests {
    use super::esc;

    #[test]
    fn escaping_covers_markup_and_quotes() {
        assert_eq!(
            esc(r#"<script>alert("x" & 'y')</script>"#),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"
        );
        assert_eq!(esc("Zoë — ok"), "Zoë — ok");
    }
}
