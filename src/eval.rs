//! Evaluation: classify labelled rows and measure agreement with the labels.
//!
//! [`evaluate`] reads a CSV (streaming), classifies every row with a non-empty label (body only; a title column,
//! if named, is shown in the error listing and never scored), and computes [`Metrics`]: accuracy, macro-F1,
//! per-role precision/recall/F1 with n, family-level accuracy, the share of `other`-labelled rows predicted as a
//! focus role, and a confusion matrix.
//!
//! *Focus roles* are the roles whose family is not one of [`NEIGHBOUR_FAMILIES`]: neighbour roles (software
//! engineer, sales, ...) exist to absorb postings outside the focus, so for agreement with a label they count as
//! `other`. Labels that are neither a role of the pack nor `other` are counted and reported, never silently
//! dropped. Malformed CSV records are counted as errors with their record number.

use crate::posting::Posting;
use crate::ruleset::RuleSet;
use crate::scan::{HitKind, Signal};
use crate::score::Status;
use crate::Session;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Read;

pub use crate::ruleset::NEIGHBOUR_FAMILIES;

/// Which columns hold what.
#[derive(Debug, Clone)]
pub struct Columns {
    /// The label column (role id or `other`).
    pub label: String,
    /// Text columns, joined as separate sections.
    pub text: Vec<String>,
    /// The id column (default: the record number).
    pub id: Option<String>,
    /// A title column, shown beside errors, never scored.
    pub title: Option<String>,
    /// A column whose values split the figures into groups (`--by dataset`: one table per board).
    pub by: Option<String>,
}

/// One classified row.
#[derive(Debug, Clone, Serialize)]
pub struct Prediction {
    /// Row id (or record number).
    pub id: String,
    /// The label.
    pub label: String,
    /// The predicted role id (`other` when none fits).
    pub predicted: String,
    /// match / ambiguous / none.
    pub status: Status,
    /// Confidence.
    pub confidence: f64,
    /// The title, when a title column was named.
    pub title: Option<String>,
    /// The row's value of the `--by` column, when one was named.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// The best phrases of the predicted role.
    pub evidence: Vec<String>,
}

/// Per-role agreement.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RoleMetrics {
    /// Role id (or `other`).
    pub role: String,
    /// Rows with this label.
    pub n: usize,
    /// Rows predicted as this role (after mapping neighbours to `other`).
    pub predicted: usize,
    /// Correct predictions.
    pub correct: usize,
    /// correct / predicted.
    pub precision: f64,
    /// correct / n.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
}

/// The evaluation's figures.
#[derive(Debug, Clone, Serialize)]
pub struct Metrics {
    /// Rows evaluated (label known to the pack or `other`).
    pub n: usize,
    /// Share of rows where the (neighbour → `other`) prediction equals the label.
    pub accuracy: f64,
    /// Mean F1 over the labels present.
    pub macro_f1: f64,
    /// Rows labelled with a focus role.
    pub n_focus: usize,
    /// Role-level agreement on focus-labelled rows.
    pub focus_accuracy: f64,
    /// Family-level agreement on focus-labelled rows.
    pub family_accuracy: f64,
    /// Rows labelled `other`.
    pub n_other: usize,
    /// Share of `other` rows predicted as a focus role.
    pub other_to_focus: f64,
    /// Per label, sorted by id (`other` last).
    pub per_role: Vec<RoleMetrics>,
    /// `confusion[label][predicted]` counts.
    pub confusion: BTreeMap<String, BTreeMap<String, usize>>,
    /// Labels unknown to the pack, with their row counts (not evaluated).
    pub unknown_labels: BTreeMap<String, usize>,
    /// Rows with an empty label (skipped).
    pub unlabelled: usize,
    /// Malformed records: (record number, reason).
    pub errors: Vec<(u64, String)>,
    /// The rule set's hash.
    pub rules: String,
}

/// The evaluation: figures plus every prediction.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// Figures.
    pub metrics: Metrics,
    /// One per evaluated row, in input order.
    pub predictions: Vec<Prediction>,
    /// Per signal that fired: how often, and how often it backed a wrong prediction (most misleading first).
    pub signals: Vec<SignalStat>,
    /// With a `--by` column: the figures of each of its values, in value order.
    pub groups: Vec<GroupMetrics>,
}

/// The figures of the rows that share one value of the `--by` column.
#[derive(Debug, Clone, Serialize)]
pub struct GroupMetrics {
    /// The column's value (empty for rows without one).
    pub value: String,
    /// The figures of those rows alone.
    pub metrics: Metrics,
}

/// Errors that stop an evaluation before it starts.
#[derive(Debug)]
pub enum EvalError {
    /// The CSV header cannot be read.
    Csv(csv::Error),
    /// A named column is not in the header.
    MissingColumn {
        /// The column.
        column: String,
        /// The header.
        header: Vec<String>,
    },
}

impl std::fmt::Display for EvalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EvalError::Csv(e) => write!(f, "cannot read the CSV: {e}"),
            EvalError::MissingColumn { column, header } => {
                write!(f, "column `{column}` is not in the header; the header has: {}", header.join(", "))
            }
        }
    }
}

impl std::error::Error for EvalError {}

/// The index of column `name` in `header`, or the error naming what the header has.
pub(crate) fn column(header: &[String], name: &str) -> Result<usize, EvalError> {
    header
        .iter()
        .position(|h| h == name)
        .ok_or_else(|| EvalError::MissingColumn { column: name.to_string(), header: header.to_vec() })
}

/// A record's text columns joined as sections (a blank line between them) into `out`.
pub(crate) fn join_text(record: &csv::StringRecord, text_i: &[usize], out: &mut String) {
    out.clear();
    for (k, &i) in text_i.iter().enumerate() {
        if k > 0 {
            out.push_str("\n\n");
        }
        out.push_str(record.get(i).unwrap_or(""));
    }
}

/// Whether `role_id` is a focus role of `rules`.
pub fn is_focus(rules: &RuleSet, role_id: &str) -> bool {
    rules.role(role_id).is_some_and(|(_, r)| !NEIGHBOUR_FAMILIES.contains(&r.family.as_str()))
}

fn family_of<'a>(rules: &'a RuleSet, role_id: &str) -> &'a str {
    rules.role(role_id).map_or("other", |(_, r)| r.family.as_str())
}

/// How one signal (a phrase or regex of a role, or a name) behaved over the evaluated rows, in the manner of
/// weak-supervision labelling-function analysis: how often it fired, how often it backed the prediction, and how
/// often that prediction was wrong.
#[derive(Debug, Clone, Serialize)]
pub struct SignalStat {
    /// The phrase or regex as written.
    pub phrase: String,
    /// The role it is evidence for.
    pub role: String,
    /// Its area (responsibility evidence), else null.
    pub area: Option<String>,
    /// `responsibility`, `name` or `negative`.
    pub kind: &'static str,
    /// Rows where it counted.
    pub fired: usize,
    /// Rows where it counted for the predicted role.
    pub for_prediction: usize,
    /// Of those, rows whose prediction disagreed with the label.
    pub wrong: usize,
    /// The ids of those rows (the first [`WRONG_IDS`]).
    pub wrong_ids: Vec<String>,
}

/// How many wrong rows' ids a [`SignalStat`] keeps.
pub const WRONG_IDS: usize = 20;

/// Classifies every labelled row of a CSV and measures agreement.
pub fn evaluate<R: Read>(rules: &RuleSet, input: R, delimiter: u8, cols: &Columns) -> Result<Evaluation, EvalError> {
    evaluate_on(rules, input, delimiter, cols, crate::score::Basis::All)
}

/// [`evaluate`] on a chosen scoring basis: [`crate::score::Basis::Responsibilities`] measures the classifier with
/// role names masked out of the body (a name mention adds nothing).
pub fn evaluate_on<R: Read>(
    rules: &RuleSet,
    input: R,
    delimiter: u8,
    cols: &Columns,
    basis: crate::score::Basis,
) -> Result<Evaluation, EvalError> {
    let mut rdr = csv::ReaderBuilder::new().delimiter(delimiter).flexible(false).from_reader(input);
    let header: Vec<String> = rdr.headers().map_err(EvalError::Csv)?.iter().map(str::to_string).collect();
    let find = |c: &str| column(&header, c);
    let label_i = find(&cols.label)?;
    let text_i: Vec<usize> = cols.text.iter().map(|c| find(c)).collect::<Result<_, _>>()?;
    let id_i = cols.id.as_deref().map(find).transpose()?;
    let title_i = cols.title.as_deref().map(find).transpose()?;
    let by_i = cols.by.as_deref().map(find).transpose()?;

    let mut scanner = Session::new(rules);
    let mut predictions = Vec::new();
    let mut unknown: BTreeMap<String, usize> = BTreeMap::new();
    let mut unlabelled = 0;
    let mut errors = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut text = String::new();
    let mut number: u64 = 0;
    // Per (kind, signal): fired, for the prediction, wrong, the wrong rows' ids.
    type Tally = (usize, usize, usize, Vec<String>);
    let mut signals: std::collections::HashMap<(HitKind, Signal), Tally> = Default::default();
    fn collapse<'a>(rules: &RuleSet, p: &'a str) -> &'a str {
        if is_focus(rules, p) {
            p
        } else {
            "other"
        }
    }
    loop {
        number += 1;
        match rdr.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                errors.push((number, e.to_string()));
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    break;
                }
                continue;
            }
        }
        let label = record.get(label_i).unwrap_or("").trim();
        if label.is_empty() {
            unlabelled += 1;
            continue;
        }
        if label != "other" && rules.role(label).is_none() {
            *unknown.entry(label.to_string()).or_default() += 1;
            continue;
        }
        join_text(&record, &text_i, &mut text);
        let c = scanner.classify_on(Posting::new(&text), basis);
        let wrong = collapse(rules, label) != collapse(rules, c.role_id());
        let id = id_i.and_then(|i| record.get(i)).map_or_else(|| number.to_string(), str::to_string);
        for e in c.evidence.iter().filter(|e| e.counted) {
            let s = signals.entry((e.hit.kind, e.hit.signal)).or_default();
            s.0 += 1;
            if Some(e.hit.kind.role()) == c.role {
                s.1 += 1;
                if wrong {
                    s.2 += 1;
                    if s.3.len() < WRONG_IDS {
                        s.3.push(id.clone());
                    }
                }
            }
        }
        predictions.push(Prediction {
            id: id_i.and_then(|i| record.get(i)).map_or_else(|| number.to_string(), str::to_string),
            label: label.to_string(),
            predicted: c.role_id().to_string(),
            status: c.status,
            confidence: crate::score::round4(c.confidence),
            title: title_i.and_then(|i| record.get(i)).map(str::to_string),
            group: by_i.map(|i| record.get(i).unwrap_or("").to_string()),
            evidence: c.top_phrases(&text, 6).into_iter().map(|p| p.into_owned()).collect(),
        });
    }
    let groups = match by_i {
        None => Vec::new(),
        Some(_) => {
            let values: std::collections::BTreeSet<&str> =
                predictions.iter().filter_map(|p| p.group.as_deref()).collect();
            values
                .into_iter()
                .map(|v| {
                    let rows: Vec<Prediction> =
                        predictions.iter().filter(|p| p.group.as_deref() == Some(v)).cloned().collect();
                    GroupMetrics {
                        value: v.to_string(),
                        metrics: metrics(rules, &rows, BTreeMap::new(), 0, Vec::new()),
                    }
                })
                .collect()
        }
    };
    let metrics = metrics(rules, &predictions, unknown, unlabelled, errors);
    let mut signals: Vec<SignalStat> = signals
        .into_iter()
        .map(|((kind, signal), (fired, for_prediction, wrong, wrong_ids))| {
            let role = &rules.roles()[kind.role() as usize];
            let (kind, area) = match kind {
                HitKind::Responsibility { area, .. } => ("responsibility", Some(role.areas[area as usize].id.clone())),
                HitKind::Name { .. } => ("name", None),
                HitKind::Negative { .. } => ("negative", None),
            };
            let phrase = match signal {
                Signal::Phrase { pattern, use_ } => {
                    rules.patterns()[pattern as usize].uses[use_ as usize].phrase.clone()
                }
                Signal::Regex { id } => rules.regexes()[id as usize].source.clone(),
                Signal::Near { id } => rules.near_rules()[id as usize].source.clone(),
            };
            SignalStat { phrase, role: role.id.clone(), area, kind, fired, for_prediction, wrong, wrong_ids }
        })
        .collect();
    signals.sort_by(|a, b| {
        (b.wrong, b.fired, &a.role, &a.phrase, a.kind).cmp(&(a.wrong, a.fired, &b.role, &b.phrase, b.kind))
    });
    Ok(Evaluation { metrics, predictions, signals, groups })
}

/// Computes the figures from predictions.
pub fn metrics(
    rules: &RuleSet,
    predictions: &[Prediction],
    unknown_labels: BTreeMap<String, usize>,
    unlabelled: usize,
    errors: Vec<(u64, String)>,
) -> Metrics {
    let collapse = |p: &str| if is_focus(rules, p) { p.to_string() } else { "other".to_string() };
    let mut confusion: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    let (mut correct, mut n_focus, mut focus_ok, mut family_ok, mut n_other, mut other_focus) = (0, 0, 0, 0, 0, 0);
    for p in predictions {
        let label = collapse(&p.label);
        let pred = collapse(&p.predicted);
        *confusion.entry(label.clone()).or_default().entry(pred.clone()).or_default() += 1;
        correct += usize::from(label == pred);
        if label == "other" {
            n_other += 1;
            other_focus += usize::from(pred != "other");
        } else {
            n_focus += 1;
            focus_ok += usize::from(label == pred);
            family_ok += usize::from(family_of(rules, &label) == family_of(rules, &pred) && pred != "other");
        }
    }
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { (a as f64 / b as f64 * 10_000.0).round() / 10_000.0 };
    let mut per_role: Vec<RoleMetrics> = confusion
        .keys()
        .map(|label| {
            let n: usize = confusion[label].values().sum();
            let predicted: usize = confusion.values().map(|row| row.get(label).copied().unwrap_or(0)).sum();
            let ok = confusion[label].get(label).copied().unwrap_or(0);
            let (p, r) = (ratio(ok, predicted), ratio(ok, n));
            let f1 = if p + r > 0.0 { (2.0 * p * r / (p + r) * 10_000.0).round() / 10_000.0 } else { 0.0 };
            RoleMetrics { role: label.clone(), n, predicted, correct: ok, precision: p, recall: r, f1 }
        })
        .collect();
    per_role.sort_by_key(|m| (m.role == "other", m.role.clone()));
    let macro_f1 =
        if per_role.is_empty() { 0.0 } else { per_role.iter().map(|m| m.f1).sum::<f64>() / per_role.len() as f64 };
    Metrics {
        n: predictions.len(),
        accuracy: ratio(correct, predictions.len()),
        macro_f1: (macro_f1 * 10_000.0).round() / 10_000.0,
        n_focus,
        focus_accuracy: ratio(focus_ok, n_focus),
        family_accuracy: ratio(family_ok, n_focus),
        n_other,
        other_to_focus: ratio(other_focus, n_other),
        per_role,
        confusion,
        unknown_labels,
        unlabelled,
        errors,
        rules: rules.hash().to_string(),
    }
}

impl Evaluation {
    /// The disagreements, most confident first (at most `n`).
    pub fn worst(&self, rules: &RuleSet, n: usize) -> Vec<&Prediction> {
        fn collapse<'a>(rules: &RuleSet, p: &'a str) -> &'a str {
            if is_focus(rules, p) {
                p
            } else {
                "other"
            }
        }
        let mut wrong: Vec<&Prediction> =
            self.predictions.iter().filter(|p| collapse(rules, &p.label) != collapse(rules, &p.predicted)).collect();
        wrong.sort_by(|a, b| b.confidence.total_cmp(&a.confidence));
        wrong.truncate(n);
        wrong
    }
}

/// The figures of each `--by` group as one readable table: a line per value with its n's and agreements.
pub fn render_groups(column: &str, groups: &[GroupMetrics]) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let pct = |x: f64, n: usize| if n == 0 { "    -".to_string() } else { format!("{:5.1}%", x * 100.0) };
    let w = groups.iter().map(|g| g.value.len()).max().unwrap_or(0).max(column.len()).max(5);
    let _ = writeln!(s, "by {column}");
    let _ = writeln!(
        s,
        "{:<w$}  {:>7}  {:>6}  {:>6}  {:>7}  {:>12}",
        column, "focus n", "role", "family", "other n", "other->focus"
    );
    for g in groups {
        let m = &g.metrics;
        let _ = writeln!(
            s,
            "{:<w$}  {:>7}  {:>6}  {:>6}  {:>7}  {:>12}",
            if g.value.is_empty() { "(empty)" } else { &g.value },
            m.n_focus,
            pct(m.focus_accuracy, m.n_focus),
            pct(m.family_accuracy, m.n_focus),
            m.n_other,
            pct(m.other_to_focus, m.n_other)
        );
    }
    s
}

impl Metrics {
    /// The figures as a readable text table.
    pub fn render(&self) -> String {
        use std::fmt::Write as _;
        let mut s = String::new();
        let pct = |x: f64| format!("{:.1}%", x * 100.0);
        let _ = writeln!(
            s,
            "rules {}  n {}  (unlabelled {}, unknown labels {}, errors {})",
            self.rules,
            self.n,
            self.unlabelled,
            self.unknown_labels.values().sum::<usize>(),
            self.errors.len()
        );
        let _ = writeln!(s, "accuracy        {}  (neighbour roles count as other)", pct(self.accuracy));
        let _ = writeln!(s, "macro-F1        {:.3}", self.macro_f1);
        let _ = writeln!(
            s,
            "focus rows      {}  role agreement {}  family agreement {}",
            self.n_focus,
            pct(self.focus_accuracy),
            pct(self.family_accuracy)
        );
        let _ = writeln!(s, "other rows      {}  predicted as a focus role {}", self.n_other, pct(self.other_to_focus));
        let _ = writeln!(s);
        let w = self.per_role.iter().map(|m| m.role.len()).max().unwrap_or(4).max(5);
        let _ =
            writeln!(s, "{:<w$}  {:>5}  {:>5}  {:>9}  {:>6}  {:>5}", "label", "n", "pred", "precision", "recall", "F1");
        for m in &self.per_role {
            let _ = writeln!(
                s,
                "{:<w$}  {:>5}  {:>5}  {:>9.3}  {:>6.3}  {:>5.3}",
                m.role, m.n, m.predicted, m.precision, m.recall, m.f1
            );
        }
        let cols: Vec<&String> = {
            let mut c: Vec<&String> = self.confusion.values().flat_map(|r| r.keys()).collect();
            c.sort_by_key(|x| (x.as_str() == "other", x.as_str()));
            c.dedup();
            c
        };
        let _ = writeln!(s);
        let _ = writeln!(s, "confusion (rows: label, columns: predicted)");
        let abbrev =
            |x: &str| x.split('-').map(|p| p.chars().take(4).collect::<String>()).collect::<Vec<_>>().join("-");
        let _ = write!(s, "{:<w$}", "");
        for c in &cols {
            let _ = write!(s, "  {:>9}", abbrev(c));
        }
        let _ = writeln!(s);
        for m in &self.per_role {
            let _ = write!(s, "{:<w$}", m.role);
            for c in &cols {
                let v = self.confusion[&m.role].get(*c).copied().unwrap_or(0);
                let _ = write!(s, "  {:>9}", if v == 0 { ".".to_string() } else { v.to_string() });
            }
            let _ = writeln!(s);
        }
        if !self.unknown_labels.is_empty() {
            let _ = writeln!(s);
            let list: Vec<String> = self.unknown_labels.iter().map(|(k, v)| format!("{k} ({v})")).collect();
            let _ = writeln!(s, "labels unknown to the pack (not evaluated): {}", list.join(", "));
        }
        for (n, e) in self.errors.iter().take(20) {
            let _ = writeln!(s, "error: record {n}: {e}");
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(label: &str, predicted: &str) -> Prediction {
        Prediction {
            id: String::new(),
            label: label.into(),
            predicted: predicted.into(),
            status: Status::Match,
            confidence: 0.5,
            title: None,
            group: None,
            evidence: vec![],
        }
    }

    #[test]
    fn metrics_on_a_small_table() {
        let rules = crate::default_rules().unwrap();
        let preds = vec![
            p("product-owner", "product-owner"),
            p("product-owner", "technical-product-owner"),
            p("scrum-master", "scrum-master"),
            p("other", "software-engineer"),
            p("other", "cto"),
            p("other", "other"),
        ];
        let m = metrics(&rules, &preds, BTreeMap::new(), 0, vec![]);
        assert_eq!(m.n, 6);
        assert_eq!((m.n_focus, m.n_other), (3, 3));
        assert!((m.focus_accuracy - 0.6667).abs() < 1e-4);
        assert!((m.family_accuracy - 1.0).abs() < 1e-9);
        assert!((m.other_to_focus - 0.3333).abs() < 1e-4);
        assert!((m.accuracy - 0.6667).abs() < 1e-4, "neighbour prediction for an other row is agreement");
        let po = m.per_role.iter().find(|r| r.role == "product-owner").unwrap();
        assert_eq!((po.n, po.predicted, po.correct), (2, 1, 1));
        assert_eq!(m.confusion["other"]["other"], 2);
        assert_eq!(m.per_role.last().unwrap().role, "other");
    }

    #[test]
    fn unknown_labels_and_missing_columns_are_reported() {
        let rules = crate::default_rules().unwrap();
        let csv = "id,label,body\n1,product-owner,\"Own the product backlog\"\n2,astronaut,\"fly\"\n3,,\"x\"\n";
        let cols =
            Columns { label: "label".into(), text: vec!["body".into()], id: Some("id".into()), title: None, by: None };
        let e = evaluate(&rules, csv.as_bytes(), b',', &cols).unwrap();
        assert_eq!(e.metrics.n, 1);
        assert_eq!(e.metrics.unknown_labels.get("astronaut"), Some(&1));
        assert_eq!(e.metrics.unlabelled, 1);
        assert_eq!(e.predictions[0].id, "1");
        let bad = Columns { label: "nope".into(), ..cols };
        let err = evaluate(&rules, csv.as_bytes(), b',', &bad).unwrap_err();
        assert!(err.to_string().contains("id, label, body"), "{err}");
    }

    #[test]
    fn malformed_records_are_counted() {
        let rules = crate::default_rules().unwrap();
        let csv = "id,label,body\n1,other,hello\n2,other\n3,other,bye\n";
        let cols =
            Columns { label: "label".into(), text: vec!["body".into()], id: Some("id".into()), title: None, by: None };
        let e = evaluate(&rules, csv.as_bytes(), b',', &cols).unwrap();
        assert_eq!(e.metrics.n, 2);
        assert_eq!(e.metrics.errors.len(), 1);
        assert_eq!(e.metrics.errors[0].0, 2);
    }

    #[test]
    fn masked_names_stop_a_title_repeated_in_the_body_from_deciding() {
        let rules = crate::default_rules().unwrap();
        // A body that only names the role: with names it is that role; with names masked it has no evidence.
        let csv = "id,label,body\n1,product-owner,\"We are hiring a Product Owner. Our Product Owner joins a friendly team.\"\n";
        let cols = Columns { label: "label".into(), text: vec!["body".into()], id: None, title: None, by: None };
        let named = evaluate(&rules, csv.as_bytes(), b',', &cols).unwrap();
        let masked = evaluate_on(&rules, csv.as_bytes(), b',', &cols, crate::score::Basis::Responsibilities).unwrap();
        assert_eq!(named.predictions[0].predicted, "product-owner");
        assert_eq!(masked.predictions[0].predicted, "other");
    }

    #[test]
    fn rule_stats_count_firing_and_wrong_backing() {
        let rules = crate::default_rules().unwrap();
        let ba = "Gather business requirements from stakeholders, model business processes, write functional specifications and support user acceptance testing.";
        // The same body labelled once right and once wrong: its signals fire twice, back a wrong prediction once.
        let csv = format!("label,body\nbusiness-analyst,\"{ba}\"\nscrum-master,\"{ba}\"\n");
        let cols = Columns { label: "label".into(), text: vec!["body".into()], id: None, title: None, by: None };
        let e = evaluate(&rules, csv.as_bytes(), b',', &cols).unwrap();
        assert_eq!(e.predictions[0].predicted, "business-analyst");
        let ba_signals: Vec<&SignalStat> = e.signals.iter().filter(|s| s.role == "business-analyst").collect();
        assert!(!ba_signals.is_empty());
        for s in ba_signals {
            assert_eq!((s.fired, s.for_prediction, s.wrong), (2, 2, 1), "{s:?}");
            assert_eq!(s.wrong_ids, ["2"], "the second row is the wrong one");
        }
        assert!(e.signals.windows(2).all(|w| w[0].wrong >= w[1].wrong), "most misleading first");
    }
}

#[cfg(test)]
mod by_tests {
    use super::*;

    #[test]
    fn figures_per_value_of_the_by_column() {
        let rules = crate::default_rules().unwrap();
        let sm = "Facilitate daily stand-ups, sprint planning and retrospectives, remove impediments and coach the team in Scrum.";
        let csv = format!(
            "id,board,label,body\n1,a,scrum-master,\"{sm}\"\n2,b,scrum-master,\"{sm}\"\n3,b,other,\"{sm}\"\n4,b,other,\"Bake bread.\"\n"
        );
        let cols = Columns {
            label: "label".into(),
            text: vec!["body".into()],
            id: Some("id".into()),
            title: None,
            by: Some("board".into()),
        };
        let e = evaluate(&rules, csv.as_bytes(), b',', &cols).unwrap();
        let values: Vec<&str> = e.groups.iter().map(|g| g.value.as_str()).collect();
        assert_eq!(values, ["a", "b"]);
        let (a, b) = (&e.groups[0].metrics, &e.groups[1].metrics);
        assert_eq!((a.n_focus, a.n_other), (1, 0));
        assert_eq!((b.n_focus, b.n_other), (1, 2));
        assert!((b.other_to_focus - 0.5).abs() < 1e-9, "the scrum body labelled other is the one false focus");
        assert_eq!(e.metrics.n, a.n + b.n, "the groups partition the rows");
        assert_eq!(e.predictions[2].group.as_deref(), Some("b"));
        let table = render_groups("board", &e.groups);
        assert!(table.lines().any(|l| l.starts_with('b') && l.contains("50.0%")), "{table}");
        let missing = Columns { by: Some("nope".into()), ..cols };
        assert!(evaluate(&rules, csv.as_bytes(), b',', &missing).is_err());
    }
}
