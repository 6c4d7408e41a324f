//! Title drift in aggregate: the rates, the stated × body matrix, the most drifted postings, per group and over
//! time, built one posting at a time in input order with bounded memory.
//!
//! Each classified posting of a `rolecall drift` run becomes a [`DriftFacts`] (small: role ids, the drift class,
//! the evidence phrases, the group and date fields, and, for drifted postings only, short excerpts around the
//! evidence). [`DriftSummary::add`] folds them in: counts, a matrix keyed by role ids, counts per `--by` group and
//! per period, and the `top` most drifted postings (a bounded list: the strongest drift first, then input order).
//! Memory grows with the number of distinct roles, groups and periods, never with the number of postings.
//!
//! The drift **rate** is drifted (near + far) over resolved (title and body both resolved): unknowns are counted
//! and shown, not folded into the rate.
//!
//! The serialised summary (`rolecall drift --format json`) is this struct: `postings`, `counts {none, near, far,
//! unknown}`, `rate`, `why [{why, drift, n}]` (how many postings each drift rule decided, see
//! [`crate::drift::Why`]; the most first), `per_stated [{role, n, counts, rate}]`, `matrix [{stated, body, n}]`,
//! `top [facts]`,
//! `groups [{group, postings, counts, rate, per_stated}]`, `periods [{period, per_stated, counts, rate}]`,
//! `dates {parsed, missing, unparseable}`, `judged` (only with `--judged`: see [`crate::judged`]), `rules`.

use crate::drift::{Drift, Why};
use serde::Serialize;
use std::collections::BTreeMap;

/// One posting's part in the aggregate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DriftFacts {
    /// 1-based record number.
    pub record: u64,
    /// The record's id.
    pub id: String,
    /// The title as posted.
    pub title: String,
    /// The stated role id (`None` when the title names none or an ambiguous one).
    pub stated: Option<String>,
    /// The body's role id, or `other`.
    pub body: String,
    /// The drift class.
    pub drift: Drift,
    /// Drift strength (absent when unknown).
    pub strength: Option<f64>,
    /// The rule that decided the drift.
    pub why: Why,
    /// The body role's responsibility score (how much evidence there is).
    pub body_score: f64,
    /// The `--by` column's value.
    pub group: Option<String>,
    /// The `--date-col` column's value, as written.
    pub date: Option<String>,
    /// The body role's best phrases (drifted postings only).
    pub body_evidence: Vec<String>,
    /// The stated role's best phrases in the body (drifted postings only).
    pub stated_evidence: Vec<String>,
    /// Role names mentioned in the body (drifted postings only).
    pub names: Vec<String>,
    /// For drifted postings: short excerpts of the body with the evidence marked.
    pub excerpts: Vec<Excerpt>,
}

/// A short piece of a posting with marked evidence (byte ranges into `text`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Excerpt {
    /// The excerpt.
    pub text: String,
    /// Marked ranges, ascending, not overlapping.
    pub marks: Vec<Mark>,
}

/// A marked range of an excerpt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Mark {
    /// Start byte.
    pub start: usize,
    /// End byte.
    pub end: usize,
    /// Whose evidence it is.
    pub kind: MarkKind,
}

/// Whose evidence a mark is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MarkKind {
    /// The body's role.
    Body,
    /// The stated role.
    Stated,
    /// A role name mention.
    Name,
}

/// Counts per drift class.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Same role.
    pub none: u64,
    /// Same family.
    pub near: u64,
    /// Another family.
    pub far: u64,
    /// Unresolved.
    pub unknown: u64,
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, c: Counts) {
        self.none += c.none;
        self.near += c.near;
        self.far += c.far;
        self.unknown += c.unknown;
    }
}

impl Counts {
    fn add(&mut self, d: Drift) {
        match d {
            Drift::None => self.none += 1,
            Drift::Near => self.near += 1,
            Drift::Far => self.far += 1,
            Drift::Unknown => self.unknown += 1,
        }
    }

    /// Every posting counted.
    pub fn total(&self) -> u64 {
        self.none + self.near + self.far + self.unknown
    }

    /// Drifted over resolved (`None` when nothing resolved).
    pub fn rate(&self) -> Option<f64> {
        let resolved = self.none + self.near + self.far;
        (resolved > 0).then(|| (self.near + self.far) as f64 / resolved as f64)
    }
}

/// How dates are bucketed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// `2024-04`.
    Month,
    /// `2024-Q2`.
    Quarter,
    /// `2024`.
    Year,
}

/// Date fields seen.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct DateCounts {
    /// Parsed into a period.
    pub parsed: u64,
    /// Empty.
    pub missing: u64,
    /// Present but not understood (counted here, not dropped silently).
    pub unparseable: u64,
}

/// Per stated role: counts and rate.
#[derive(Debug, Clone, Serialize)]
pub struct StatedRow {
    /// Stated role id (`(none)` for titles that name no role).
    pub role: String,
    /// Postings.
    pub n: u64,
    /// By class.
    pub counts: Counts,
    /// Drift rate.
    pub rate: Option<f64>,
}

/// One cell of the stated × body matrix.
#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    /// Stated role.
    pub stated: String,
    /// Body role.
    pub body: String,
    /// Postings.
    pub n: u64,
}

/// One group's figures.
#[derive(Debug, Clone, Serialize)]
pub struct GroupRow {
    /// The group's value.
    pub group: String,
    /// By class.
    pub counts: Counts,
    /// Drift rate.
    pub rate: Option<f64>,
    /// Per stated role.
    pub per_stated: Vec<StatedRow>,
}

/// One period's figures.
#[derive(Debug, Clone, Serialize)]
pub struct PeriodRow {
    /// `2024-04`, `2024-Q2` or `2024`.
    pub period: String,
    /// By class.
    pub counts: Counts,
    /// Drift rate.
    pub rate: Option<f64>,
    /// Per stated role.
    pub per_stated: Vec<StatedRow>,
}

/// The aggregate of a drift run (see the module docs).
#[derive(Debug, Clone)]
pub struct DriftSummary {
    top_n: usize,
    period: Option<Period>,
    /// Postings classified.
    pub postings: u64,
    /// By class.
    pub counts: Counts,
    why: [u64; Why::ALL.len()],
    per_stated: BTreeMap<String, Counts>,
    matrix: BTreeMap<(String, String), u64>,
    top: Vec<DriftFacts>,
    groups: BTreeMap<String, (Counts, BTreeMap<String, Counts>)>,
    periods: BTreeMap<String, (Counts, BTreeMap<String, Counts>)>,
    /// Date fields seen.
    pub dates: DateCounts,
    /// How the run agrees with a reader's judgements (`--judged`), when it was given some.
    pub judged: Option<crate::judged::JudgedTally>,
}

/// The label for postings whose title names no role.
pub const NO_ROLE: &str = "(none)";

impl DriftSummary {
    /// An empty summary keeping the `top_n` most drifted postings, bucketing dates by `period` (if any).
    pub fn new(top_n: usize, period: Option<Period>) -> Self {
        DriftSummary {
            top_n,
            period,
            postings: 0,
            counts: Counts::default(),
            why: [0; Why::ALL.len()],
            per_stated: BTreeMap::new(),
            matrix: BTreeMap::new(),
            top: Vec::new(),
            groups: BTreeMap::new(),
            periods: BTreeMap::new(),
            dates: DateCounts::default(),
            judged: None,
        }
    }

    /// Folds in one posting.
    pub fn add(&mut self, f: DriftFacts) {
        self.count(f.stated.as_deref(), &f.body, f.drift, f.why, f.group.as_deref(), f.date.as_deref());
        if f.drift.drifted() && self.enters_top(f.strength, f.body_score, f.record) {
            self.offer(f);
        }
    }

    /// Counts one posting (no allocation for keys already seen).
    pub fn count(
        &mut self,
        stated: Option<&str>,
        body: &str,
        drift: Drift,
        why: Why,
        group: Option<&str>,
        date: Option<&str>,
    ) {
        fn bump(map: &mut BTreeMap<String, Counts>, key: &str, d: Drift) {
            match map.get_mut(key) {
                Some(c) => c.add(d),
                None => map.entry(key.to_string()).or_default().add(d),
            }
        }
        self.postings += 1;
        self.counts.add(drift);
        self.why[why as usize] += 1;
        let stated = stated.unwrap_or(NO_ROLE);
        bump(&mut self.per_stated, stated, drift);
        match self.matrix.get_mut(&(stated.to_string(), body.to_string())) {
            Some(n) => *n += 1,
            None => {
                self.matrix.insert((stated.to_string(), body.to_string()), 1);
            }
        }
        if let Some(g) = group {
            if !self.groups.contains_key(g) {
                self.groups.insert(g.to_string(), Default::default());
            }
            if let Some(e) = self.groups.get_mut(g) {
                e.0.add(drift);
                bump(&mut e.1, stated, drift);
            }
        }
        if let Some(period) = self.period {
            match date.map(str::trim).filter(|d| !d.is_empty()) {
                None => self.dates.missing += 1,
                Some(d) => match bucket(d, period) {
                    Some(p) => {
                        self.dates.parsed += 1;
                        let e = self.periods.entry(p).or_default();
                        e.0.add(drift);
                        bump(&mut e.1, stated, drift);
                    }
                    None => self.dates.unparseable += 1,
                },
            }
        }
    }

    /// Whether a drifted posting with this strength, body score and record number would enter the `top` list
    /// now (so its evidence is worth collecting).
    pub fn enters_top(&self, strength: Option<f64>, body_score: f64, record: u64) -> bool {
        self.top_n > 0
            && (self.top.len() < self.top_n
                || self.top.last().is_some_and(|last| top_key(strength, body_score, record) < key_of(last)))
    }

    /// Offers a drifted posting (already counted) for the `top` list: strongest first; among equals, the most body
    /// evidence, then the earlier record. Kept sorted, cut at `top_n`.
    pub fn offer(&mut self, f: DriftFacts) {
        let k = key_of(&f);
        let at = self.top.partition_point(|x| key_of(x) < k);
        if at < self.top_n {
            self.top.insert(at, f);
            self.top.truncate(self.top_n);
        }
    }

    /// Adds another summary of the same run (for example, another thread's): every figure is a sum, and `top`
    /// is ordered by a total key, so merging in any order gives the same summary.
    pub fn merge(&mut self, other: DriftSummary) {
        fn sum(into: &mut BTreeMap<String, Counts>, from: BTreeMap<String, Counts>) {
            for (k, c) in from {
                *into.entry(k).or_default() += c;
            }
        }
        self.postings += other.postings;
        self.counts += other.counts;
        match (&mut self.judged, other.judged) {
            (Some(t), Some(o)) => t.merge(o),
            (t @ None, o) => *t = o,
            (Some(_), None) => {}
        }
        for (n, m) in self.why.iter_mut().zip(other.why) {
            *n += m;
        }
        sum(&mut self.per_stated, other.per_stated);
        for (k, n) in other.matrix {
            *self.matrix.entry(k).or_default() += n;
        }
        for (g, (c, per)) in other.groups {
            let e = self.groups.entry(g).or_default();
            e.0 += c;
            sum(&mut e.1, per);
        }
        for (p, (c, per)) in other.periods {
            let e = self.periods.entry(p).or_default();
            e.0 += c;
            sum(&mut e.1, per);
        }
        self.dates.parsed += other.dates.parsed;
        self.dates.missing += other.dates.missing;
        self.dates.unparseable += other.dates.unparseable;
        for f in other.top {
            self.offer(f);
        }
    }

    /// Per stated role, most postings first.
    pub fn per_stated(&self) -> Vec<StatedRow> {
        rows(&self.per_stated)
    }

    /// The non-empty cells of the stated × body matrix.
    pub fn matrix(&self) -> Vec<Cell> {
        self.matrix.iter().map(|((s, b), &n)| Cell { stated: s.clone(), body: b.clone(), n }).collect()
    }

    /// The most drifted postings, strongest first.
    pub fn top(&self) -> &[DriftFacts] {
        &self.top
    }

    /// Per `--by` group, in group order.
    pub fn groups(&self) -> Vec<GroupRow> {
        self.groups
            .iter()
            .map(|(g, (c, per))| GroupRow { group: g.clone(), counts: *c, rate: c.rate(), per_stated: rows(per) })
            .collect()
    }

    /// Per period, in time order, every period from the first to the last (those without postings empty, so a
    /// chart shows the gap instead of joining across it).
    pub fn periods(&self) -> Vec<PeriodRow> {
        let (Some(first), Some(last)) = (self.periods.keys().next(), self.periods.keys().next_back()) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut p = first.clone();
        loop {
            let row = match self.periods.get(&p) {
                Some((c, per)) => PeriodRow { period: p.clone(), counts: *c, rate: c.rate(), per_stated: rows(per) },
                None => PeriodRow { period: p.clone(), counts: Counts::default(), rate: None, per_stated: Vec::new() },
            };
            out.push(row);
            if p == *last || out.len() > 10_000 {
                break;
            }
            p = match next_period(&p) {
                Some(n) => n,
                None => break,
            };
        }
        out
    }

    /// Whether a period was asked for.
    pub fn has_periods(&self) -> bool {
        self.period.is_some()
    }
}

/// How many postings one drift rule decided.
#[derive(Debug, Clone, Serialize)]
pub struct WhyRow {
    /// The rule ([`Why::as_str`]).
    pub why: &'static str,
    /// The drift class it gives: `none`, `unknown` or, for `drifted`, `near/far`.
    pub drift: &'static str,
    /// Postings.
    pub n: u64,
}

impl DriftSummary {
    /// How many postings each drift rule decided: the most first (then in the rules' order).
    pub fn why(&self) -> Vec<WhyRow> {
        let mut v: Vec<(Why, u64)> = Why::ALL.into_iter().zip(self.why).filter(|&(_, n)| n > 0).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v.into_iter().map(|(w, n)| WhyRow { why: w.as_str(), drift: w.class(), n }).collect()
    }
}

/// The summary as JSON (the schema in the module docs).
#[derive(Debug, Serialize)]
pub struct SummaryJson<'a> {
    /// Postings.
    pub postings: u64,
    /// By class.
    pub counts: Counts,
    /// Drift rate.
    pub rate: Option<f64>,
    /// How many postings each drift rule decided.
    pub why: Vec<WhyRow>,
    /// Per stated role.
    pub per_stated: Vec<StatedRow>,
    /// Matrix cells.
    pub matrix: Vec<Cell>,
    /// Most drifted postings.
    pub top: &'a [DriftFacts],
    /// Per group.
    pub groups: Vec<GroupRow>,
    /// Per period.
    pub periods: Vec<PeriodRow>,
    /// Dates seen.
    pub dates: Option<DateCounts>,
    /// Agreement with a reader's judgements (`--judged`; absent without).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub judged: Option<crate::judged::TallyJson<'a>>,
    /// Rule-set hash.
    pub rules: &'a str,
}

impl DriftSummary {
    /// The serialisable form.
    pub fn json<'a>(&'a self, rules: &'a str) -> SummaryJson<'a> {
        SummaryJson {
            postings: self.postings,
            counts: self.counts,
            rate: self.counts.rate(),
            why: self.why(),
            per_stated: self.per_stated(),
            matrix: self.matrix(),
            top: &self.top,
            groups: self.groups(),
            periods: self.periods(),
            dates: self.period.map(|_| self.dates),
            judged: self.judged.as_ref().map(|t| t.json()),
            rules,
        }
    }
}

fn rows(map: &BTreeMap<String, Counts>) -> Vec<StatedRow> {
    let mut v: Vec<StatedRow> =
        map.iter().map(|(r, c)| StatedRow { role: r.clone(), n: c.total(), counts: *c, rate: c.rate() }).collect();
    v.sort_by(|a, b| b.n.cmp(&a.n).then(a.role.cmp(&b.role)));
    v
}

/// The period after `p` (`2024-12` → `2025-01`, `2024-Q4` → `2025-Q1`, `2024` → `2025`).
fn next_period(p: &str) -> Option<String> {
    let (y, rest) = p.split_once('-').map_or((p, None), |(y, r)| (y, Some(r)));
    let y: u32 = y.parse().ok()?;
    match rest {
        None => Some(format!("{}", y + 1)),
        Some(q) if q.starts_with('Q') => {
            let q: u32 = q[1..].parse().ok()?;
            Some(if q >= 4 { format!("{}-Q1", y + 1) } else { format!("{y}-Q{}", q + 1) })
        }
        Some(m) => {
            let m: u32 = m.parse().ok()?;
            Some(if m >= 12 { format!("{}-01", y + 1) } else { format!("{y}-{:02}", m + 1) })
        }
    }
}

/// The `top` order: strongest first, then the most body evidence, then the earlier record.
fn top_key(
    strength: Option<f64>,
    body_score: f64,
    record: u64,
) -> (std::cmp::Reverse<i64>, std::cmp::Reverse<i64>, u64) {
    (std::cmp::Reverse(ordered(strength)), std::cmp::Reverse(ordered(Some(body_score))), record)
}

fn key_of(f: &DriftFacts) -> (std::cmp::Reverse<i64>, std::cmp::Reverse<i64>, u64) {
    top_key(f.strength, f.body_score, f.record)
}

/// A total order for optional strengths (absent lowest).
fn ordered(x: Option<f64>) -> i64 {
    x.map_or(-1, |v| (v * 1e6).round() as i64)
}

/// The period a date falls in, or `None` when it cannot be read. Understands ISO dates and date-times
/// (`2024-04-18`, `2024-04-18T10:00Z`, `2024/04/18`, `2024-04`), day-first or month-first numeric dates when the
/// order is clear (`18/04/2024`; `04/05/2024` is ambiguous for months, fine for years), and month names
/// (`18 Apr 2024`, `April 18, 2024`, `Thu, 18 Apr 2024 10:00:00 GMT`).
pub fn bucket(date: &str, period: Period) -> Option<String> {
    let (year, month) = read_date(date)?;
    match (period, month) {
        (Period::Year, _) => Some(format!("{year}")),
        (Period::Month, Some(m)) => Some(format!("{year}-{m:02}")),
        (Period::Quarter, Some(m)) => Some(format!("{year}-Q{}", (m - 1) / 3 + 1)),
        _ => None,
    }
}

/// Year and (when unambiguous) month of a date.
fn read_date(date: &str) -> Option<(u32, Option<u32>)> {
    let d = date.trim();
    let nums: Vec<(usize, &str)> = d
        .split(|c: char| !c.is_ascii_digit())
        .scan(0usize, |pos, part| {
            let at = *pos;
            *pos += part.len() + 1;
            Some((at, part))
        })
        .filter(|(_, p)| !p.is_empty())
        .collect();
    let year_ok = |y: u32| (1900..=2100).contains(&y);
    let month_ok = |m: u32| (1..=12).contains(&m);
    let num = |s: &str| s.parse::<u32>().ok();
    let lower = d.to_ascii_lowercase();
    const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let named = MONTHS.iter().position(|m| {
        lower.match_indices(m).any(|(i, _)| {
            let before = lower[..i].chars().next_back().is_none_or(|c| !c.is_ascii_alphabetic());
            before
        })
    });
    match nums.as_slice() {
        // 2024-04-18..., 2024/04/18, 2024-04
        [(0, y), (_, m), ..] if y.len() == 4 && named.is_none() => {
            let (y, m) = (num(y)?, num(m)?);
            (year_ok(y) && month_ok(m)).then_some((y, Some(m)))
        }
        // 18/04/2024 or 04/18/2024
        [(0, a), (_, b), (_, y), ..] if y.len() == 4 && a.len() <= 2 && b.len() <= 2 && named.is_none() => {
            let (a, b, y) = (num(a)?, num(b)?, num(y)?);
            if !year_ok(y) || !(1..=31).contains(&a) || !(1..=31).contains(&b) {
                return None;
            }
            let month = match (month_ok(a), month_ok(b)) {
                (true, true) if a != b => None,
                (true, true) => Some(a),
                (false, true) => Some(b),
                (true, false) => Some(a),
                (false, false) => return None,
            };
            Some((y, month))
        }
        _ => {
            let m = named? as u32 + 1;
            let y = nums.iter().filter_map(|(_, p)| if p.len() == 4 { num(p) } else { None }).find(|&y| year_ok(y))?;
            Some((y, Some(m)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(record: u64, stated: Option<&str>, body: &str, drift: Drift, strength: Option<f64>) -> DriftFacts {
        DriftFacts {
            record,
            id: record.to_string(),
            title: String::new(),
            stated: stated.map(str::to_string),
            body: body.to_string(),
            drift,
            strength,
            why: match drift {
                Drift::None => Why::SameRole,
                Drift::Unknown => Why::NoTitleRole,
                _ => Why::Drifted,
            },
            body_score: 1.0,
            group: Some(if record % 2 == 0 { "even" } else { "odd" }.to_string()),
            date: Some(["2024-04-18", "2024-05-02", "", "yesterday"][(record % 4) as usize].to_string()),
            body_evidence: Vec::new(),
            stated_evidence: Vec::new(),
            names: Vec::new(),
            excerpts: Vec::new(),
        }
    }

    #[test]
    fn dates_bucket_or_are_counted_as_unreadable() {
        assert_eq!(bucket("2024-04-18", Period::Month).as_deref(), Some("2024-04"));
        assert_eq!(bucket("2024-04-18T10:00:00Z", Period::Quarter).as_deref(), Some("2024-Q2"));
        assert_eq!(bucket("2025/12", Period::Quarter).as_deref(), Some("2025-Q4"));
        assert_eq!(bucket("18/04/2024", Period::Month).as_deref(), Some("2024-04"));
        assert_eq!(bucket("04/18/2024", Period::Month).as_deref(), Some("2024-04"));
        assert_eq!(bucket("04/05/2024", Period::Month), None, "day and month cannot be told apart");
        assert_eq!(bucket("04/05/2024", Period::Year).as_deref(), Some("2024"));
        assert_eq!(bucket("Thu, 18 Apr 2024 10:00:00 GMT", Period::Month).as_deref(), Some("2024-04"));
        assert_eq!(bucket("September 7, 2025", Period::Quarter).as_deref(), Some("2025-Q3"));
        for bad in ["yesterday", "2 days ago", "2024-13-01", "12345", "", "3024-01-01"] {
            assert!(bucket(bad, Period::Month).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn summary_counts_rates_matrix_groups_periods_and_top() {
        let mut s = DriftSummary::new(2, Some(Period::Month));
        s.add(facts(1, Some("product-owner"), "product-owner", Drift::None, Some(0.0)));
        s.add(facts(2, Some("product-owner"), "technical-program-manager", Drift::Far, Some(0.5)));
        s.add(facts(3, Some("product-owner"), "technical-product-owner", Drift::Near, Some(0.9)));
        s.add(facts(4, None, "cto", Drift::Unknown, None));
        s.add(facts(5, Some("cto"), "cto", Drift::None, Some(0.0)));
        s.add(facts(6, Some("cto"), "sales", Drift::Far, Some(0.9)));
        assert_eq!(s.counts, Counts { none: 2, near: 1, far: 2, unknown: 1 });
        assert_eq!(s.counts.rate(), Some(3.0 / 5.0));
        // Every posting is counted under the rule that decided it: the most first, each with its class.
        let why: Vec<(&str, &str, u64)> = s.why().iter().map(|w| (w.why, w.drift, w.n)).collect();
        assert_eq!(why, [("drifted", "near/far", 3), ("same-role", "none", 2), ("no-title-role", "unknown", 1)]);
        let po = s.per_stated().into_iter().find(|r| r.role == "product-owner").unwrap();
        assert_eq!((po.n, po.rate), (3, Some(2.0 / 3.0)));
        assert!(s.matrix().iter().any(|c| c.stated == NO_ROLE && c.body == "cto" && c.n == 1));
        // Top: strongest first, earlier record first among equals, cut at 2.
        let top: Vec<u64> = s.top().iter().map(|f| f.record).collect();
        assert_eq!(top, [3, 6]);
        let groups = s.groups();
        assert_eq!(groups.iter().map(|g| g.counts.total()).sum::<u64>(), 6);
        assert_eq!(s.dates.parsed + s.dates.missing + s.dates.unparseable, 6);
        assert_eq!((s.dates.missing, s.dates.unparseable), (2, 1));
        let periods: Vec<String> = s.periods().into_iter().map(|p| p.period).collect();
        assert_eq!(periods, ["2024-04", "2024-05"]);
        assert_eq!(next_period("2024-12").as_deref(), Some("2025-01"));
        // Split the same postings between two summaries in any way: the merge is the same summary.
        let all: Vec<DriftFacts> = (1..=6)
            .map(|i| {
                facts(
                    i,
                    Some("po"),
                    if i % 3 == 0 { "po" } else { "sales" },
                    if i % 3 == 0 { Drift::None } else { Drift::Far },
                    Some(i as f64 / 10.0),
                )
            })
            .collect();
        let mut one = DriftSummary::new(2, Some(Period::Month));
        all.iter().cloned().for_each(|f| one.add(f));
        let (mut a, mut b) = (DriftSummary::new(2, Some(Period::Month)), DriftSummary::new(2, Some(Period::Month)));
        for f in all.iter().cloned() {
            if f.record % 2 == 0 {
                a.add(f)
            } else {
                b.add(f)
            }
        }
        b.merge(a);
        let show = |s: &DriftSummary| serde_json::to_string(&s.json("h")).unwrap();
        assert_eq!(show(&b), show(&one));
        assert_eq!(next_period("2024-Q4").as_deref(), Some("2025-Q1"));
        assert_eq!(next_period("2024").as_deref(), Some("2025"));
    }
}

/// Bytes of context on each side of a mark in an excerpt.
const EXCERPT_CONTEXT: usize = 90;
/// Excerpts kept per posting.
const EXCERPTS: usize = 4;

/// Short excerpts of `text` around `marks` (byte ranges with their kind): overlapping windows merge, at most
/// `EXCERPTS` are kept (those with the most marks, then in text order), and each excerpt's marks are relative
/// to it. The excerpt keeps the text's own whitespace.
pub fn excerpts(text: &str, mut marks: Vec<(usize, usize, MarkKind)>) -> Vec<Excerpt> {
    marks.retain(|&(s, e, _)| s < e && e <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(e));
    marks.sort_by_key(|&(s, e, _)| (s, std::cmp::Reverse(e)));
    // Drop marks inside an earlier mark.
    let mut kept: Vec<(usize, usize, MarkKind)> = Vec::new();
    for m in marks {
        if kept.last().is_none_or(|l| m.0 >= l.1) {
            kept.push(m);
        }
    }
    let floor = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let ceil = |mut i: usize| {
        while i < text.len() && !text.is_char_boundary(i) {
            i += 1;
        }
        i.min(text.len())
    };
    // (start, end, marks) of each window.
    type Window = (usize, usize, Vec<(usize, usize, MarkKind)>);
    let mut windows: Vec<Window> = Vec::new();
    for m in kept {
        let (ws, we) = (floor(m.0.saturating_sub(EXCERPT_CONTEXT)), ceil(m.1 + EXCERPT_CONTEXT));
        match windows.last_mut() {
            Some(w) if ws <= w.1 => {
                w.1 = w.1.max(we);
                w.2.push(m);
            }
            _ => windows.push((ws, we, vec![m])),
        }
    }
    let mut order: Vec<usize> = (0..windows.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(windows[i].2.len()), i));
    order.truncate(EXCERPTS);
    order.sort_unstable();
    order
        .into_iter()
        .map(|i| {
            let (ws, we, ms) = &windows[i];
            // The window as it is (a copy, no per-character work: most excerpts are never shown); printers
            // collapse whitespace when they render.
            let marks = ms.iter().map(|&(s, e, kind)| Mark { start: s - ws, end: e - ws, kind }).collect();
            Excerpt { text: text[*ws..*we].to_string(), marks }
        })
        .collect()
}

#[cfg(test)]
mod excerpt_tests {
    use super::*;

    #[test]
    fn excerpts_mark_the_evidence_and_merge_close_windows() {
        let text = format!(
            "{}Own the backlog.\n\n  Run the roadmap. {}Launch schedule ok",
            "x ".repeat(100),
            "y ".repeat(200)
        );
        let s1 = text.find("backlog").unwrap();
        let s2 = text.find("roadmap").unwrap();
        let s3 = text.find("Launch schedule").unwrap();
        let ex = excerpts(
            &text,
            vec![(s3, s3 + 15, MarkKind::Body), (s1, s1 + 7, MarkKind::Stated), (s2, s2 + 7, MarkKind::Stated)],
        );
        assert_eq!(ex.len(), 2, "{ex:?}");
        let marked: Vec<(&str, MarkKind)> =
            ex.iter().flat_map(|e| e.marks.iter().map(move |m| (&e.text[m.start..m.end], m.kind))).collect();
        assert_eq!(
            marked,
            [("backlog", MarkKind::Stated), ("roadmap", MarkKind::Stated), ("Launch schedule", MarkKind::Body)]
        );
        assert!(ex.iter().all(|e| e.text.len() <= 2 * EXCERPT_CONTEXT + 40));
    }

    #[test]
    fn excerpts_ignore_bad_marks() {
        let text = "héllo wörld";
        let ex = excerpts(text, vec![(2, 3, MarkKind::Body), (0, 99, MarkKind::Body), (7, 13, MarkKind::Name)]);
        assert_eq!(ex.len(), 1);
        assert_eq!(&ex[0].text[ex[0].marks[0].start..ex[0].marks[0].end], "wörld");
    }
}
